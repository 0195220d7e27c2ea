#!/bin/bash
# install-deps.sh - the Debian 12 packages this project builds and tests with.
# pvm, pvm-dev and pvm-examples are the real PVM 3.4.6: the compatibility tests run
# Debian-built binaries on our library and build PVM's own examples with aimk.
# clang and its libFuzzer runtime build the fuzz targets (tests/fuzz).
# openssh-server is for the real-ssh test, which runs its own sshd inside a test
# host, and slurm-wlm and munge for the Slurm test, which runs its own slurmctld, slurmd
# and munged; the packages must not start system-wide ones, so services are held back
# while installing (policy-rc.d), unless the machine already has such a policy.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
own_policy=0
if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
    chmod +x /usr/sbin/policy-rc.d
    own_policy=1
fi
trap 'if [ $own_policy = 1 ]; then rm -f /usr/sbin/policy-rc.d; fi' EXIT
apt-get update -qq
apt-get install -y -qq --no-install-recommends \
    build-essential cmake pkg-config \
    libzmq3-dev cppzmq-dev capnproto libcapnp-dev \
    tcl tcl-dev tcl-thread catch2 libreadline-dev clang-format git \
    clang libclang-rt-14-dev \
    iproute2 openssh-server openssh-client slurm-wlm munge \
    xvfb xauth xfonts-base tk tk-dev gfortran \
    pvm pvm-dev pvm-examples >/dev/null
