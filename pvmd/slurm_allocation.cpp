// slurm_allocation.cpp - Slurm's host lists and CPU counts.
#include "slurm_allocation.h"

#include <algorithm>
#include <cstdlib>
#include <string>

#include "errors.h"
#include "pvm3.h"

namespace pvm {

namespace {
[[noreturn]] void malformed(std::string_view what, std::string_view text) {
    throw Error(PvmBadParam, "malformed Slurm " + std::string(what) + ": " + std::string(text));
}

/// splitTopLevel splits at commas outside brackets.
std::vector<std::string_view> splitTopLevel(std::string_view list, std::string_view what) {
    std::vector<std::string_view> items;
    int depth = 0;
    std::size_t start = 0;
    for (std::size_t i = 0; i < list.size(); ++i) {
        if (list[i] == '[' && ++depth > 1) malformed(what, list);
        if (list[i] == ']' && --depth < 0) malformed(what, list);
        if (list[i] == ',' && depth == 0) {
            items.push_back(list.substr(start, i - start));
            start = i + 1;
        }
    }
    if (depth != 0) malformed(what, list);
    items.push_back(list.substr(start));
    return items;
}

unsigned long number(std::string_view digits, std::string_view list) {
    if (digits.empty() || digits.size() > 9 || !std::all_of(digits.begin(), digits.end(), ::isdigit))
        malformed("host list", list);
    return std::stoul(std::string(digits));
}

/// rangeValues expands the inside of brackets ("01-03,7") into zero-padded numbers.
std::vector<std::string> rangeValues(std::string_view inside, std::string_view list) {
    std::vector<std::string> values;
    std::size_t start = 0;
    while (start <= inside.size()) {
        std::size_t comma = inside.find(',', start);
        std::string_view part = inside.substr(start, comma == std::string_view::npos ? inside.npos : comma - start);
        std::size_t dash = part.find('-');
        std::string_view low = part.substr(0, dash);
        std::string_view high = dash == std::string_view::npos ? low : part.substr(dash + 1);
        unsigned long from = number(low, list), to = number(high, list);
        if (to < from || to - from > 100000) malformed("host list", list);
        for (unsigned long v = from; v <= to; ++v) {
            std::string text = std::to_string(v);
            if (text.size() < low.size()) text.insert(0, low.size() - text.size(), '0');  // "01"
            values.push_back(text);
        }
        if (comma == std::string_view::npos) break;
        start = comma + 1;
    }
    return values;
}
}  // namespace

bool SlurmAllocation::has(const std::string& node) const {
    return std::find(nodes.begin(), nodes.end(), node) != nodes.end();
}

int SlurmAllocation::cpusOn(const std::string& node) const {
    auto it = std::find(nodes.begin(), nodes.end(), node);
    auto at = static_cast<std::size_t>(it - nodes.begin());
    return it == nodes.end() || at >= cpus.size() ? 0 : cpus[at];
}

std::string SlurmAllocation::nodeNames() const {
    std::string names;
    for (const std::string& n : nodes) names += (names.empty() ? "" : " ") + n;
    return names;
}

std::vector<std::string> expandHostlist(std::string_view list) {
    std::vector<std::string> hosts;
    if (list.empty()) return hosts;
    for (std::string_view item : splitTopLevel(list, "host list")) {
        if (item.empty()) malformed("host list", list);
        // Each bracket group multiplies the names made so far: "r[1-2]n[1-2]" is four hosts.
        std::vector<std::string> names{""};
        for (std::size_t at = 0; at < item.size();) {
            std::size_t open = item.find('[', at);
            std::string_view text = item.substr(at, open == std::string_view::npos ? item.npos : open - at);
            for (std::string& n : names) n += text;
            if (open == std::string_view::npos) break;
            std::size_t close = item.find(']', open);
            std::vector<std::string> grown;
            for (const std::string& n : names)
                for (const std::string& v : rangeValues(item.substr(open + 1, close - open - 1), list))
                    grown.push_back(n + v);
            names = std::move(grown);
            at = close + 1;
        }
        hosts.insert(hosts.end(), names.begin(), names.end());
    }
    return hosts;
}

std::vector<int> expandCpusPerNode(std::string_view counts) {
    std::vector<int> cpus;
    for (std::string_view item : splitTopLevel(counts, "CPU counts")) {
        std::size_t paren = item.find("(x");
        std::string_view value = item.substr(0, paren);
        unsigned long repeat = 1;
        if (paren != std::string_view::npos) {
            if (item.back() != ')') malformed("CPU counts", counts);
            repeat = number(item.substr(paren + 2, item.size() - paren - 3), counts);
        }
        auto n = static_cast<int>(number(value, counts));
        if (repeat > 100000) malformed("CPU counts", counts);
        cpus.insert(cpus.end(), repeat, n);
    }
    return cpus;
}

std::optional<SlurmAllocation> slurmAllocation() {
    const char* off = std::getenv("PVM_SLURM");
    if (off && std::string(off) == "off") return std::nullopt;
    const char* job = std::getenv("SLURM_JOB_ID");
    const char* nodes = std::getenv("SLURM_JOB_NODELIST");
    if (!job || !*job || !nodes || !*nodes) return std::nullopt;
    SlurmAllocation a;
    a.jobId = job;
    a.nodes = expandHostlist(nodes);
    if (const char* cpus = std::getenv("SLURM_JOB_CPUS_PER_NODE"); cpus && *cpus) a.cpus = expandCpusPerNode(cpus);
    a.cpus.resize(a.nodes.size(), 1);
    return a;
}

}  // namespace pvm
