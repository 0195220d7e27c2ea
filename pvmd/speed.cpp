// speed.cpp - a short benchmark of one core.
#include "speed.h"

#include <algorithm>
#include <chrono>
#include <cmath>

namespace pvm {

namespace {
// Seconds a reference core (one core of the 2-core machine this project is developed on)
// takes for kRounds rounds; a host doing them in half the time gets speed 2000.
constexpr double kReferenceSeconds = 0.007;
constexpr long kRounds = 4'000'000;

double timeRounds() {
    auto start = std::chrono::steady_clock::now();
    volatile double sink = 0;
    double x = 1.0001;
    unsigned long h = 1469598103934665603ul;
    for (long i = 0; i < kRounds; ++i) {
        x = x * 1.0000001 + 1e-9;                                   // floating point, as numerical tasks do
        h = (h ^ static_cast<unsigned long>(i)) * 1099511628211ul;  // and integer work
    }
    sink = x + static_cast<double>(h & 1);
    (void)sink;
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}
}  // namespace

int measureSpeed() {
    // The best of five runs: another process may have had the core for a moment.
    double best = timeRounds();
    for (int i = 0; i < 4; ++i) best = std::min(best, timeRounds());
    return std::clamp(static_cast<int>(std::lround(1000.0 * kReferenceSeconds / best)), 1, 1000000);
}

}  // namespace pvm
