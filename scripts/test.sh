#!/bin/bash
# test.sh - install, build and run the whole test suite, then again under
# AddressSanitizer and UndefinedBehaviorSanitizer, then the tests across hosts under
# ThreadSanitizer, then the fuzz targets for a bounded time each (PVM_FUZZ_SECONDS,
# default 20).
set -euo pipefail
cd "$(dirname "$0")/.."

# Inside a chroot (a fresh debootstrap root, a build root) "/" is not a mount point, so `ip netns
# exec`, which the multi-host tests use to enter a test host, cannot make it a slave mount and fails.
# There the suite runs from a bind mount of "/" in a mount namespace of its own, where "/" is one;
# nothing changes outside that namespace (the bind mount is removed afterwards if it propagated).
if [ "$(id -u)" = 0 ] && [ -z "${PVM_TEST_REROOTED:-}" ] && ! unshare -m --propagation slave true 2>/dev/null; then
    echo "== / is not a mount point (a chroot?): running the suite from a bind mount of it"
    mkdir -p /run/pvm-test-root
    rc=0
    PVM_TEST_REROOTED=1 unshare -m --propagation unchanged -- /bin/bash -c '
        mount --rbind / /run/pvm-test-root && mount --make-rslave /run/pvm-test-root &&
            exec chroot /run/pvm-test-root /bin/bash -c "cd \"\$0\" && exec bash scripts/test.sh" "$PWD"' || rc=$?
    ! mountpoint -q /run/pvm-test-root || umount -l /run/pvm-test-root
    exit $rc
fi

bash scripts/install-deps.sh
jobs=$(nproc)

echo "== build and test (RelWithDebInfo)"
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$jobs"
(cd build && ctest -j"$jobs" --output-on-failure --timeout 300)

echo "== build and test under ASan/UBSan"
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DPVM_SANITIZER=address,undefined >/dev/null
cmake --build build-asan -j"$jobs"
(cd build-asan && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
    ctest -j"$jobs" --output-on-failure --timeout 600)

echo "== the tests across hosts under ThreadSanitizer (libzmq's threads; tests/tsan.supp)"
cmake -S . -B build-tsan -DCMAKE_BUILD_TYPE=Debug -DPVM_SANITIZER=thread >/dev/null
cmake --build build-tsan -j"$jobs"
rm -f build-tsan/tsan-report.*
# A daemon's report goes to build-tsan/tsan-report.PID (its stderr is /dev/null) and ends it.
tsan=0
(cd build-tsan && ctest -L tsan --output-on-failure) || tsan=$?
if ls build-tsan/tsan-report.* >/dev/null 2>&1; then
    cat build-tsan/tsan-report.*
    tsan=1
fi
[ "$tsan" = 0 ] || exit "$tsan"

echo "== fuzz targets, ${PVM_FUZZ_SECONDS:-20} s each (clang, libFuzzer, ASan/UBSan)"
CC=clang CXX=clang++ cmake -S . -B build-fuzz -DPVM_FUZZ=ON -DPVM_FUZZ_SECONDS="${PVM_FUZZ_SECONDS:-20}" >/dev/null
cmake --build build-fuzz -j"$jobs"
(cd build-fuzz && ctest -j"$jobs" -L fuzz --output-on-failure)
