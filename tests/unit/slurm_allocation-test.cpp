// slurm_allocation-test.cpp - Slurm's host lists and CPU counts, expanded as Slurm does.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <string>
#include <vector>

#include "errors.h"
#include "slurm_allocation.h"

using namespace pvm;
using Names = std::vector<std::string>;

TEST_CASE("Slurm host lists expand as scontrol show hostnames does", "[slurm]") {
    CHECK(expandHostlist("node1") == Names{"node1"});
    CHECK(expandHostlist("pv-h[1-3]") == Names{"pv-h1", "pv-h2", "pv-h3"});
    CHECK(expandHostlist("n[08-11,20]") == Names{"n08", "n09", "n10", "n11", "n20"});
    CHECK(expandHostlist("a[1-2],b,c[7]") == Names{"a1", "a2", "b", "c7"});
    CHECK(expandHostlist("r[1-2]n[1-2]-x") == Names{"r1n1-x", "r1n2-x", "r2n1-x", "r2n2-x"});
    CHECK(expandHostlist("").empty());
    for (const char* bad : {"n[1-", "n]1[", "n[a-b]", "n[3-1]", "a,,b", "n[[1]]", "n[]"}) {
        INFO(bad);
        CHECK_THROWS_AS(expandHostlist(bad), Error);
    }
}

TEST_CASE("Slurm CPU counts per node expand their repeats", "[slurm]") {
    CHECK(expandCpusPerNode("2(x3)") == std::vector<int>{2, 2, 2});
    CHECK(expandCpusPerNode("4(x2),1,8") == std::vector<int>{4, 4, 1, 8});
    CHECK_THROWS_AS(expandCpusPerNode("4(x"), Error);
    CHECK_THROWS_AS(expandCpusPerNode("x"), Error);
}

TEST_CASE("the allocation comes from Slurm's variables, and PVM_SLURM=off ignores it", "[slurm]") {
    unsetenv("PVM_SLURM");  // the test runner turns it off for every other test
    setenv("SLURM_JOB_ID", "42", 1);
    setenv("SLURM_JOB_NODELIST", "pv-h[1-3]", 1);
    setenv("SLURM_JOB_CPUS_PER_NODE", "2,1(x2)", 1);
    auto a = slurmAllocation();
    REQUIRE(a);
    CHECK(a->jobId == "42");
    CHECK(a->nodes == Names{"pv-h1", "pv-h2", "pv-h3"});
    CHECK(a->cpusOn("pv-h1") == 2);
    CHECK(a->cpusOn("pv-h3") == 1);
    CHECK(a->has("pv-h2"));
    CHECK(!a->has("pv-h4"));
    setenv("PVM_SLURM", "off", 1);
    CHECK(!slurmAllocation());
    unsetenv("PVM_SLURM");
    unsetenv("SLURM_JOB_ID");
    CHECK(!slurmAllocation());
    unsetenv("SLURM_JOB_NODELIST");
    unsetenv("SLURM_JOB_CPUS_PER_NODE");
    setenv("PVM_SLURM", "off", 1);
}
