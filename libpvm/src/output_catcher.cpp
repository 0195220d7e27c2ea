// output_catcher.cpp - printing caught child output.
#include "output_catcher.h"

#include "output_markers.h"
#include "tid.h"

namespace pvm {

void OutputCatcher::handle(MessageBuffer& body) {
    int header[2];
    body.unpack(DataType::Int, header, 2, 1);
    int tid = header[0];
    int count = header[1];
    if (count == kOutputBegin) {
        open_[tid];
        if (showTids_) writeLine(tid, "BEGIN");
        return;
    }
    std::string& partial = open_[tid];
    if (count == kOutputEnd) {
        if (!partial.empty()) writeLine(tid, partial);
        open_.erase(tid);
        if (showTids_) writeLine(tid, "EOF");
        return;
    }
    std::string data(static_cast<std::size_t>(count > 0 ? count : 0), '\0');
    body.unpack(DataType::Byte, data.data(), count, 1);
    partial += data;
    std::size_t start = 0;
    for (std::size_t nl; (nl = partial.find('\n', start)) != std::string::npos; start = nl + 1)
        writeLine(tid, partial.substr(start, nl - start));
    partial.erase(0, start);
}

void OutputCatcher::writeLine(int tid, const std::string& line) {
    if (showTids_)
        std::fprintf(file_, "[%s] %s\n", formatTid(tid).c_str(), line.c_str());
    else
        std::fprintf(file_, "%s\n", line.c_str());
    std::fflush(file_);
}

}  // namespace pvm
