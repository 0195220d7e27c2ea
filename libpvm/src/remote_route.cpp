// remote_route.cpp - loading libpvm3tcp, the module that holds the cross-host
// direct route and is the only part of the task library that needs libzmq.
#include "remote_route.h"

#include <climits>
#include <cstdio>
#include <cstdlib>
#include <dlfcn.h>
#include <mutex>

#include "errors.h"

namespace pvm {

namespace {
/// moduleBesideThisLibrary is the path of libpvm3tcp in the directory of the libpvm3 file
/// that was loaded, so that a program built against another PVM finds ours with our libpvm3,
/// and one that loaded it through a link ($PVM_ROOT/lib/LINUX64) finds it beside the file.
std::string moduleBesideThisLibrary() {
    Dl_info info{};
    std::string dir = ".";
    if (dladdr(reinterpret_cast<void*>(&openRemoteRoute), &info) != 0 && info.dli_fname != nullptr) {
        char resolved[PATH_MAX];
        std::string self = realpath(info.dli_fname, resolved) ? resolved : info.dli_fname;
        auto slash = self.rfind('/');
        if (slash != std::string::npos) dir = self.substr(0, slash);
    }
    return dir + "/libpvm3tcp.so";
}

/// loadMaker loads the module once; never unloaded, since its threads and code outlive any
/// one route.
OpenRemoteRouteFn loadMaker(std::string& why) {
    static std::once_flag once;
    static OpenRemoteRouteFn maker = nullptr;
    static std::string failure;
    std::call_once(once, [] {
        std::string path = moduleBesideThisLibrary();
        void* module = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
        if (module == nullptr) {
            failure = dlerror();
            return;
        }
        maker = reinterpret_cast<OpenRemoteRouteFn>(dlsym(module, kOpenRemoteRouteSymbol));
        if (maker == nullptr) failure = path + ": no " + kOpenRemoteRouteSymbol;
    });
    why = failure;
    return maker;
}
}  // namespace

std::unique_ptr<RemoteRoute> openRemoteRoute(const std::string& hostAddress, const std::string& keys) {
    std::string why;
    OpenRemoteRouteFn maker = loadMaker(why);
    if (maker == nullptr) {
        static std::once_flag told;
        std::call_once(told, [&] {
            std::fprintf(stderr, "libpvm: no cross-host direct route, messages take the daemon route: %s\n",
                         why.c_str());
        });
        return nullptr;
    }
    return std::unique_ptr<RemoteRoute>(maker(hostAddress, keys));
}

}  // namespace pvm
