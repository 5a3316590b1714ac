"""Local images for machines that cannot pull from Docker Hub, each cached between runs:

- a Debian bookworm root file system (debootstrap --variant=minbase, python3, python3-venv), imported
  with `docker import`; its tarball is kept in the cache folder too;
- a wheelhouse of requirements.lock, so that no image build needs the network;
- the Python base image (root file system + wheelhouse, deploy/local/base.Dockerfile);
- PostgreSQL 15 from Debian's packages (deploy/local/postgres.Dockerfile).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from pathlib import Path

from deploy.e2e.shell import run

ROOT = Path(__file__).resolve().parents[2]
LOCAL = ROOT / "deploy" / "local"
ROOTFS_IMAGE = "lagebild-local/debian:bookworm"
POSTGRES_IMAGE = "lagebild-local/postgres:15"
MIRROR = os.environ.get("LAGEBILD_DEBIAN_MIRROR", "http://deb.debian.org/debian")
HOST_CA = os.environ.get("LAGEBILD_HOST_CA", "/etc/ssl/certs/ca-certificates.crt")
PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
# The classic builder: the docker CLI may lack the buildx plugin that BuildKit needs.
BUILD_ENV = {**os.environ, "DOCKER_BUILDKIT": "0", "COMPOSE_DOCKER_CLI_BUILD": "0"}


def image_exists(tag: str) -> bool:
    return subprocess.run(["docker", "image", "inspect", tag], capture_output=True).returncode == 0


def rootfs_image(cache: Path) -> None:
    """Import the bookworm root file system, running debootstrap only if its tarball is not cached."""
    if image_exists(ROOTFS_IMAGE):
        print(f"  {ROOTFS_IMAGE}: cached", flush=True)
        return
    tarball = cache / "debian-bookworm-minbase.tar"
    if not tarball.exists():
        target = cache / "rootfs.tmp"
        shutil.rmtree(target, ignore_errors=True)
        print(f"  debootstrap bookworm (minbase, python3) from {MIRROR} …", flush=True)
        run(["debootstrap", "--variant=minbase", "--include=python3,python3-venv", "bookworm", str(target), MIRROR],
            timeout=1800)
        for junk in ("var/cache/apt/archives", "var/lib/apt/lists"):
            for path in (target / junk).glob("*"):
                if path.is_file():
                    path.unlink()
        run(["tar", "--numeric-owner", "-C", str(target), "-cf", str(tarball) + ".part", "."], timeout=600)
        os.replace(str(tarball) + ".part", tarball)
        shutil.rmtree(target, ignore_errors=True)
    run(["docker", "import", "--change", f"ENV PATH={PATH}", "--change", 'CMD ["/bin/bash"]',
         str(tarball), ROOTFS_IMAGE], timeout=600)
    print(f"  {ROOTFS_IMAGE}: imported from {tarball}", flush=True)


def wheelhouse(cache: Path) -> tuple[Path, str]:
    """Wheels of requirements.lock (plus pip, setuptools, wheel) in a folder named by their digest."""
    lock = ROOT / "requirements.lock"
    digest = hashlib.sha256(lock.read_bytes() + (LOCAL / "base.Dockerfile").read_bytes()).hexdigest()[:12]
    folder = cache / "wheels" / digest
    done = cache / "wheels" / f"{digest}.complete"
    if done.exists():
        print(f"  wheelhouse {folder}: cached", flush=True)
        return folder, digest
    earlier = [f for f in (cache / "wheels").glob("*.complete") if f != done]
    if earlier and not folder.exists():  # start from the last wheelhouse: only new pins are downloaded
        shutil.copytree(earlier[0].with_suffix(""), folder, copy_function=os.link)
    print(f"  pip download -r requirements.lock -> {folder} …", flush=True)
    download_wheels(folder, lock)
    done.touch()
    for stamp in earlier:
        shutil.rmtree(stamp.with_suffix(""), ignore_errors=True)
        stamp.unlink()
    return folder, digest


def download_wheels(folder: Path, lock: Path) -> None:
    """pip download in a container of the root file system, so that markers such as
    `python_full_version < "3.11.3"` are decided by the Python that installs them. The host's CA bundle
    is mounted for pip: this machine's HTTPS may be signed by a CA only the host trusts."""
    folder.mkdir(parents=True, exist_ok=True)
    mounts = ["-v", f"{folder}:/wheels", "-v", f"{lock}:/requirements.lock:ro"]
    if Path(HOST_CA).exists():
        mounts += ["-v", f"{HOST_CA}:/host-ca.crt:ro", "-e", "PIP_CERT=/host-ca.crt"]
    script = ("python3 -m venv /tmp/pip && /tmp/pip/bin/pip download -q --disable-pip-version-check "
              "--only-binary=:all: -d /wheels -r /requirements.lock pip 'setuptools>=75' wheel")
    run(["docker", "run", "--rm", *mounts, ROOTFS_IMAGE, "sh", "-c", script], timeout=1800)


def base_image(cache: Path) -> str:
    """The Python base image for the Dockerfile's BASE_IMAGE build argument."""
    folder, digest = wheelhouse(cache)
    tag = f"lagebild-local/base:{digest}"
    if image_exists(tag):
        print(f"  {tag}: cached", flush=True)
        return tag
    run(["docker", "build", "-q", "--force-rm", "-f", str(LOCAL / "base.Dockerfile"),
         "--build-arg", f"ROOTFS_IMAGE={ROOTFS_IMAGE}", "-t", tag, str(folder)], timeout=1800, env=BUILD_ENV)
    print(f"  {tag}: built", flush=True)
    return tag


def postgres_image() -> str:
    """PostgreSQL 15 from Debian's packages (the build's layers are cached by the engine)."""
    run(["docker", "build", "-q", "--force-rm", "-f", str(LOCAL / "postgres.Dockerfile"), "--build-arg",
         f"ROOTFS_IMAGE={ROOTFS_IMAGE}", "-t", POSTGRES_IMAGE, str(LOCAL)], timeout=1800, env=BUILD_ENV)
    print(f"  {POSTGRES_IMAGE}: built", flush=True)
    return POSTGRES_IMAGE


def build_all(cache: Path) -> dict[str, str]:
    """Every local image; returns the compose variables that point deploy/local/compose.local.yml at them."""
    cache.mkdir(parents=True, exist_ok=True)
    rootfs_image(cache)
    return {"LAGEBILD_BASE_IMAGE": base_image(cache), "LAGEBILD_POSTGRES_IMAGE": postgres_image()}
