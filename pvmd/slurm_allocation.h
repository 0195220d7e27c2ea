// slurm_allocation.h - the Slurm job a pvmd runs in, read from the environment Slurm
// gives every process of a job (SLURM_JOB_ID, SLURM_JOB_NODELIST,
// SLURM_JOB_CPUS_PER_NODE): inside one, the machine's hosts are the job's nodes and
// slaves start with srun instead of $PVM_RSH (docs/slurm.md).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pvm {

struct SlurmAllocation {
    std::string jobId;
    std::vector<std::string> nodes;  // in Slurm's order, as `scontrol show hostnames` lists them
    std::vector<int> cpus;           // CPUs allocated on each node, same order

    /// has is true when node is one of the job's nodes.
    bool has(const std::string& node) const;
    /// cpusOn is the CPUs allocated on node, or 0 when it is not one of the job's.
    int cpusOn(const std::string& node) const;
    /// nodeNames is the job's nodes separated by spaces, for the log.
    std::string nodeNames() const;
};

/// expandHostlist expands a Slurm host list ("n[01-03,7],gpu-a[1-2]-x") into its host
/// names, as `scontrol show hostnames` does; throws Error(PvmBadParam) on a malformed one.
std::vector<std::string> expandHostlist(std::string_view list);

/// expandCpusPerNode expands SLURM_JOB_CPUS_PER_NODE ("4(x2),2") into one count per node;
/// throws Error(PvmBadParam) on a malformed one.
std::vector<int> expandCpusPerNode(std::string_view counts);

/// slurmAllocation is the job this process runs in, or nothing outside a job or when
/// PVM_SLURM is "off". Throws Error(PvmBadParam) when Slurm's variables are malformed.
std::optional<SlurmAllocation> slurmAllocation();

}  // namespace pvm
