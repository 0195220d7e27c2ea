// arguments.h - the console's command line: `pvm [-d mask] [-n name] [pvmd options]
// [hostfile]`. The arguments are for the pvmd the console starts when none runs;
// with one already running, they are named as not applied.
#pragma once

#include <string>
#include <vector>

namespace pvm::console {

/// ConsoleArguments is what the console's command line asks for.
struct ConsoleArguments {
    bool help = false;                    // -h or --help
    std::vector<std::string> daemonArgs;  // everything else, for the pvmd to start
};

/// parseArguments reads argv[1..argc).
ConsoleArguments parseArguments(int argc, const char* const* argv);

/// ignoredArgumentWarnings gives the lines that name the hostfile and the options of
/// daemonArgs, which a pvmd already running does not take; none when there are none.
std::vector<std::string> ignoredArgumentWarnings(const std::vector<std::string>& daemonArgs);

}  // namespace pvm::console
