# briefgen in a container: `briefgen build` works with nothing else installed.
#   docker build -t briefgen .
#   docker run --rm -u "$(id -u):$(id -g)" -v "$PWD:/work" briefgen build
# The desk's workspace (sources/, templates/, briefgen.toml) is mounted at /work and the
# briefs land in its output/. Setup for a desk: docs/desk-repo.md.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    MPLCONFIGDIR=/tmp/matplotlib \
    XDG_CACHE_HOME=/tmp/cache

# Pango is the text layout WeasyPrint calls (briefgen subsets fonts with the locked
# fontTools, so HarfBuzz's subsetter is not needed).
# No fonts from apt: briefgen brings its own. Versions are not pinned: Debian's stable
# archive drops superseded versions, so a pin would break the build at the next
# security update; the base image's tag fixes the release.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 \
        libpangoft2-1.0-0 \
    && rm -rf /var/lib/apt/lists/*

# The locked dependencies first, every one a wheel checked against its hash (as make
# installs them); then briefgen itself, built by the locked hatchling (no build
# isolation: nothing unpinned is fetched), adding no dependency of its own.
WORKDIR /opt/briefgen
COPY requirements.lock ./
RUN pip install --require-hashes --no-deps --only-binary :all: -r requirements.lock \
    && pip check
COPY pyproject.toml README.md ./
COPY briefgen ./briefgen
COPY templates ./templates
RUN pip install --no-deps --no-build-isolation . \
    && rm -rf /opt/briefgen

# Not root: a mounted workspace is written with the caller's ids (docker run -u), and
# a template run in this container cannot touch the image.
RUN useradd --create-home --uid 10001 --user-group briefgen \
    && install -d -o briefgen -g briefgen /work
USER 10001:10001
WORKDIR /work

ENTRYPOINT ["briefgen"]
CMD ["--help"]
