// arguments.cpp - the console's command line.
#include "arguments.h"

#include <cstring>

#include "pvmd_options.h"

namespace pvm::console {

ConsoleArguments parseArguments(int argc, const char* const* argv) {
    ConsoleArguments parsed;
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "-h") == 0 || std::strcmp(argv[i], "--help") == 0)
            parsed.help = true;
        else
            parsed.daemonArgs.emplace_back(argv[i]);
    }
    return parsed;
}

std::vector<std::string> ignoredArgumentWarnings(const std::vector<std::string>& daemonArgs) {
    // A hostfile dropped without a word would leave a user wondering where its hosts went.
    std::string hostfile, options;
    for (std::size_t i = 0; i < daemonArgs.size(); ++i) {
        const std::string& a = daemonArgs[i];
        if (a.size() > 1 && a[0] == '-') {
            options += (options.empty() ? "" : " ") + a;
            if (a.size() == 2 && pvmdOptionTakesValue(a[1]) && i + 1 < daemonArgs.size())
                options += " " + daemonArgs[++i];
        } else {
            hostfile = a;
        }
    }
    std::vector<std::string> lines;
    if (!hostfile.empty())
        lines.push_back("pvm: pvmd already running: hostfile " + hostfile +
                        " not read (add its hosts with add, or halt and start again)");
    if (!options.empty())
        lines.push_back("pvm: pvmd already running: " + options + " not applied (they are for starting one)");
    return lines;
}

}  // namespace pvm::console
