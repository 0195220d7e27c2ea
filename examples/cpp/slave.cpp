// slave.cpp - the worker of master.cpp (and of examples/c/master.c): takes work items from
// its parent until told to stop. Each item is a range lo .. hi-1; the answer is the sum
// of the squares in it.
#include <iostream>
#include <optional>

#include <pvm/pvm.hpp>

namespace {
// Message tags; the same numbers appear in master.cpp and examples/c.
constexpr int kWork = 1;
constexpr int kResult = 2;
constexpr int kStop = 3;
}  // namespace

int main() {
    try {
        pvm::Task self;
        std::optional<int> parent = self.parent();
        if (!parent) {
            std::cerr << "slave_cpp: start me from a master, not by hand\n";
            return 1;
        }
        for (;;) {
            // Only the parent's messages: anything else would be a stray.
            pvm::Received m = pvm::recv(*parent);
            if (m.tag() == kStop) break;
            if (m.tag() != kWork) continue;
            int item;
            long lo, hi;
            m >> item >> lo >> hi;
            long sum = 0;
            for (long i = lo; i < hi; ++i) sum += i * i;
            pvm::send(*parent, kResult, pvm::Message() << item << sum);
        }
        return 0;  // ~Task leaves the virtual machine
    } catch (const pvm::PvmError& e) {
        std::cerr << "slave_cpp: " << e.what() << "\n";
        return 1;
    }
}
