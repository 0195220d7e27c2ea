// consumer.cpp - uses the installed C++ API: enroll, send to itself, receive.
#include <cstdio>
#include <pvm/pvm.hpp>

int main() {
    pvm::Task self;
    pvm::Message m;
    m << 42 << "installed";
    pvm::send(self.tid(), 1, m);
    pvm::Received r = pvm::recv(self.tid(), 1);
    int v = r.unpack<int>();
    std::string s = r.unpackString();
    std::printf("cpp consumer t%x got %d %s\n", self.tid(), v, s.c_str());
    return v == 42 && s == "installed" ? 0 : 1;
}
