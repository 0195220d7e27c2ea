// output_catcher.h - pvm_catchout: prints the output messages of child tasks
// line by line, tagged with the task id as PVM does.
#pragma once

#include <cstdio>
#include <map>
#include <string>

#include "message_buffer.h"

namespace pvm {

/// OutputCatcher assembles lines per task and writes "[t40002] text" lines to a FILE.
class OutputCatcher {
public:
    void setFile(std::FILE* file) {
        if (file) file_ = file;
    }
    void setShowTids(bool show) { showTids_ = show; }
    /// handle consumes one output message body; throws Error(PvmNoData) if malformed.
    void handle(MessageBuffer& body);
    /// busy is true while some task has begun and not yet ended its output.
    bool busy() const { return !open_.empty(); }

private:
    void writeLine(int tid, const std::string& line);

    std::FILE* file_ = stdout;
    bool showTids_ = true;
    std::map<int, std::string> open_;  // partial line per task whose output is open
};

}  // namespace pvm
