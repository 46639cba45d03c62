# syntax=docker/dockerfile:1
# Klaxon's image. Stage 1 builds the release binary with the Swift toolchain; stage 2 is slim
# Debian with only what the binary links at run time: SQLite, libpq, zlib, and libcurl for
# FoundationNetworking (the Swift runtime itself is linked in statically).
#
#   docker build -t klaxon .
#   docker run --rm -p 9477:9477 klaxon          # `klaxon demo`: a simulated engine and its alerts
#   docker run --rm -p 9477:9477 klaxon serve --config /etc/klaxon/klaxon.yml

FROM swift:6.3.1-bookworm AS build
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        libsqlite3-dev libpq-dev zlib1g-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# The manifest first, so a change in Sources/ does not redo the layers above.
COPY Package.swift ./
COPY Sources ./Sources
RUN swift build -c release --product klaxon --static-swift-stdlib \
    && install -D "$(swift build -c release --show-bin-path)/klaxon" /out/klaxon

FROM debian:12.11-slim
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        libsqlite3-0 libpq5 zlib1g libcurl4 ca-certificates curl tzdata \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10001 klaxon \
    && useradd --system --uid 10001 --gid klaxon --home-dir /var/lib/klaxon --shell /usr/sbin/nologin klaxon \
    && install -d -o klaxon -g klaxon -m 0750 /var/lib/klaxon
COPY --from=build /out/klaxon /usr/local/bin/klaxon
# The rule pack and the stack's configuration, so `serve --config /etc/klaxon/klaxon.yml` works
# without mounts (compose.yaml mounts the repository's copies over them).
COPY alert-rules/*.yml /etc/alert-rules/
COPY deploy/klaxon.yml /etc/klaxon/klaxon.yml
USER klaxon:klaxon
WORKDIR /var/lib/klaxon
EXPOSE 9477
HEALTHCHECK --interval=10s --timeout=3s --start-period=15s --retries=3 \
    CMD ["curl", "-fsS", "-o", "/dev/null", "http://127.0.0.1:9477/-/healthy"]
ENTRYPOINT ["klaxon"]
# Inside a container Klaxon must listen on every interface, not on its default 127.0.0.1.
CMD ["demo", "--listen", ":9477", "--data", "/var/lib/klaxon", "--rules", "/etc/alert-rules"]
