# A Python base image for machines without access to a public registry: the Debian bookworm root file
# system imported by `python -m deploy.e2e` (debootstrap --variant=minbase, python3 and python3-venv)
# plus a wheelhouse of requirements.lock. `pip` installs from /wheels only, never from the network.
# Build context: the wheelhouse folder.
ARG ROOTFS_IMAGE=lagebild-local/debian:bookworm
FROM ${ROOTFS_IMAGE}
ENV PATH=/opt/python/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    LANG=C.UTF-8 \
    PIP_NO_INDEX=1 \
    PIP_FIND_LINKS=/wheels
COPY . /wheels
RUN python3 -m venv /opt/python \
    && pip install --upgrade pip setuptools wheel
