// hello.cpp - examples/c/hello.c with the C++ API: spawn one greeter (the C program
// hello_other) and print what it says. Run with a pvmd up: ./hello_cpp [greeter-path]
#include <filesystem>
#include <iostream>
#include <string>

#include <pvm/pvm.hpp>

int main(int argc, char** argv) {
    try {
        pvm::Task self;
        // hello_other lives beside this program unless told otherwise.
        std::string other =
            argc > 1 ? argv[1]
                     : (std::filesystem::read_symlink("/proc/self/exe").parent_path() / "hello_other").string();
        std::cout << "i'm t" << std::hex << self.tid() << std::dec << std::endl;
        pvm::spawn(other);
        pvm::Received greeting = pvm::recv();
        std::cout << "from t" << std::hex << greeting.src() << std::dec << ": " << greeting.unpackString() << std::endl;
        return 0;  // ~Task leaves the virtual machine
    } catch (const pvm::PvmError& e) {
        std::cerr << "hello_cpp: " << e.what() << " (" << e.code() << ")\n";
        return 1;
    } catch (const std::exception& e) {
        std::cerr << "hello_cpp: " << e.what() << "\n";
        return 1;
    }
}
