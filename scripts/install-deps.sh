#!/bin/bash
# install-deps.sh - the Debian 12 packages this project builds and tests with.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends \
    build-essential cmake pkg-config \
    libzmq3-dev cppzmq-dev capnproto libcapnp-dev \
    tcl-dev catch2 libreadline-dev clang-format git \
    openssh-server openssh-client >/dev/null
