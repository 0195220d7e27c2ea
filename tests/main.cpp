// main.cpp - the Catch2 runner shared by every test executable.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
#include <cstdlib>

namespace {
// Run inside a Slurm job, the daemons the tests start would make the job's nodes their hosts
// (docs/slurm.md); the tests' own machines are what they say. tests/system/slurm-test.sh
// tests Slurm.
const bool slurmOff = setenv("PVM_SLURM", "off", 0) == 0;
}  // namespace
