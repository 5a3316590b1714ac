# PostgreSQL 15 from Debian's packages for machines without access to a public registry. It takes the
# official postgres image's settings (POSTGRES_USER, POSTGRES_PASSWORD, POSTGRES_DB, scripts in
# /docker-entrypoint-initdb.d run once, data in /var/lib/postgresql/data), so docker-compose.yml runs it
# unchanged. Build context: this folder.
ARG ROOTFS_IMAGE=lagebild-local/debian:bookworm
FROM ${ROOTFS_IMAGE}
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends postgresql-15 \
    && rm -rf /var/lib/apt/lists/* \
    && mkdir -p /var/lib/postgresql/data /docker-entrypoint-initdb.d /var/run/postgresql \
    && chown -R postgres:postgres /var/lib/postgresql /var/run/postgresql
ENV PATH=/usr/lib/postgresql/15/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    PGDATA=/var/lib/postgresql/data \
    LANG=C.UTF-8
COPY postgres-entrypoint.sh /usr/local/bin/postgres-entrypoint.sh
VOLUME ["/var/lib/postgresql/data"]
EXPOSE 5432
STOPSIGNAL SIGINT
ENTRYPOINT ["/usr/local/bin/postgres-entrypoint.sh"]
CMD ["postgres"]
