// master.cpp - examples/c/master.c with the C++ API: a pool of slaves summing the
// squares of 0 .. kRange-1, one work item at a time to whichever slave is free. A slave
// that dies has its unfinished item dealt to another; at the end every slave is stopped
// and the master waits for all of them to exit.
//
// Run with a pvmd up: ./master_cpp [nslaves [slave-path]]  (default 4 slaves, slave_cpp
// beside this program). The protocol is the C example's, so C and C++ slaves interchange.
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <filesystem>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include <pvm/pvm.hpp>

namespace {

// Message tags; the same numbers appear in slave.cpp and examples/c.
constexpr int kWork = 1;    // master -> slave: int item, long lo, long hi
constexpr int kResult = 2;  // slave -> master: int item, long sum of squares of lo .. hi-1
constexpr int kStop = 3;    // master -> slave: no more work, exit
constexpr int kExited = 4;  // pvmd -> master: int tid of a slave that exited

constexpr long kRange = 1000000;
constexpr int kItems = 100;

struct Slave {
    int tid = 0;
    std::optional<int> busy;  // the item it works on
    bool alive = true;
    int count = 0;  // items it finished
};

/// Dealer hands out items in order, and again those taken back from dead slaves.
class Dealer {
public:
    /// deal sends slave the next item, if any is left; otherwise the slave stays idle.
    void deal(Slave& slave) {
        int item;
        if (!requeued_.empty()) {
            item = requeued_.front();
            requeued_.pop_front();
        } else if (next_ < kItems) {
            item = next_++;
        } else {
            return;
        }
        long lo = kRange * item / kItems;
        long hi = kRange * (item + 1) / kItems;
        pvm::send(slave.tid, kWork, pvm::Message() << item << lo << hi);
        slave.busy = item;
    }
    void requeue(int item) { requeued_.push_back(item); }

private:
    int next_ = 0;
    std::deque<int> requeued_;
};

std::string slavePath(int argc, char** argv) {
    if (argc > 2) return argv[2];
    return (std::filesystem::read_symlink("/proc/self/exe").parent_path() / "slave_cpp").string();
}

Slave* find(std::vector<Slave>& slaves, int tid) {
    for (auto& s : slaves)
        if (s.tid == tid) return &s;
    return nullptr;
}

}  // namespace

int main(int argc, char** argv) {
    int want = argc > 1 ? std::atoi(argv[1]) : 4;
    if (want < 1) {
        std::cerr << "usage: master_cpp [nslaves [slave-path]]\n";
        return 2;
    }
    try {
        pvm::Task self;
        std::string path = slavePath(argc, argv);
        std::printf("master t%x: spawning %d slaves of %s\n", self.tid(), want, path.c_str());
        std::vector<int> tids = pvm::spawn(path, {}, {}, want);
        if (static_cast<int>(tids.size()) < want)
            std::printf("master: only %zu of %d slaves started\n", tids.size(), want);
        // Before dealing: a slave that dies at any time is then reported, never missed.
        pvm::notifyTaskExit(tids, kExited);

        std::vector<Slave> slaves;
        for (int tid : tids) slaves.emplace_back().tid = tid;
        Dealer dealer;
        for (auto& s : slaves) dealer.deal(s);

        std::vector<bool> done(kItems);
        int completed = 0;
        bool stopping = false;
        long total = 0;
        std::size_t alive = slaves.size();
        while (alive > 0) {
            pvm::Received m = pvm::recv();
            if (m.tag() == kResult) {
                Slave* s = find(slaves, m.src());
                int item = m.unpack<int>();
                long sum = m.unpack<long>();
                if (!s || item < 0 || item >= kItems) continue;
                s->busy.reset();
                // A slave may have been counted dead after sending its result: count it once.
                if (!done[item]) {
                    done[item] = true;
                    total += sum;
                    ++s->count;
                    ++completed;
                }
                if (s->alive) dealer.deal(*s);
                if (completed == kItems && !stopping) {
                    stopping = true;
                    std::vector<int> running;
                    for (auto& t : slaves)
                        if (t.alive) running.push_back(t.tid);
                    pvm::multicast(running, kStop, pvm::Message());
                }
            } else if (m.tag() == kExited) {
                Slave* s = find(slaves, m.unpack<int>());
                if (!s || !s->alive) continue;
                s->alive = false;
                --alive;
                if (s->busy && !done[*s->busy]) {
                    std::printf("master: slave t%x died; item %d goes to another\n", s->tid, *s->busy);
                    dealer.requeue(*s->busy);
                    s->busy.reset();
                    for (auto& t : slaves)
                        if (t.alive && !t.busy) {
                            dealer.deal(t);
                            break;
                        }
                }
            }
        }

        for (auto& s : slaves) std::printf("slave t%x: %d items\n", s.tid, s.count);
        if (completed != kItems) std::printf("master: only %d of %d items done\n", completed, kItems);
        long direct = 0;
        for (long x = 0; x < kRange; ++x) direct += x * x;
        bool ok = completed == kItems && total == direct;
        std::printf("total %ld, direct %ld: %s\n", total, direct, ok ? "ok" : "MISMATCH");
        return ok ? 0 : 1;  // ~Task leaves the virtual machine
    } catch (const std::exception& e) {
        std::cerr << "master_cpp: " << e.what() << "\n";
        return 1;
    }
}
