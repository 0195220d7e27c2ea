// hostfile.cpp - parsing hostfiles and pvm_addhosts host specs.
#include "hostfile.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <stdexcept>
#include <unistd.h>
#include <unordered_map>

#include "errors.h"
#include "pvm3.h"

namespace pvm {

namespace {

constexpr std::string_view kSpace = " \t\r\n\v\f";
// A hostfile is written by hand; the cap keeps a mistaken path (/dev/zero) from eating memory.
constexpr std::size_t kMaxFileSize = 16u << 20;
constexpr std::size_t kMaxNameLength = 255;

// BadLine says what is wrong with one line; the callers add where it is.
struct BadLine : std::runtime_error {
    using std::runtime_error::runtime_error;
};

[[noreturn]] void bad(const std::string& what) { throw BadLine(what); }

std::string quoted(std::string_view text) { return "'" + std::string(text) + "'"; }

bool isAlnum(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }
char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

std::string lowerCase(std::string_view text) {
    std::string out(text);
    for (char& c : out) c = lower(c);
    return out;
}

// fields splits a line at whitespace, up to a field starting with '#' (a comment).
std::vector<std::string_view> fields(std::string_view line) {
    std::vector<std::string_view> out;
    std::size_t pos = 0;
    while ((pos = line.find_first_not_of(kSpace, pos)) != std::string_view::npos && line[pos] != '#') {
        std::size_t end = line.find_first_of(kSpace, pos);
        if (end == std::string_view::npos) end = line.size();
        std::string_view field = line.substr(pos, end - pos);
        for (char c : field) {
            // Values end up in argv and environments, where a NUL or escape would do harm.
            if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) bad("control character in " + quoted(field));
        }
        out.push_back(field);
        pos = end;
    }
    return out;
}

// checkHostName accepts what a resolver and a remote shell take as a name. It must not
// start with '-': names and logins end up as ssh arguments.
void checkHostName(std::string_view name, std::string_view what) {
    if (name.size() > kMaxNameLength)
        bad(std::string(what) + " longer than " + std::to_string(kMaxNameLength) + " characters");
    bool ok = !name.empty() && isAlnum(name.front());
    for (char c : name) ok = ok && (isAlnum(c) || c == '.' || c == '-' || c == '_');
    if (!ok) bad("bad " + std::string(what) + " " + quoted(name) + " (letters, digits, '.', '-', '_')");
}

int parseSpeed(std::string_view value) {
    long speed = 0;
    bool ok = true;
    for (char c : value) {
        ok = ok && c >= '0' && c <= '9';
        if (ok && speed <= kMaxHostSpeed) speed = speed * 10 + (c - '0');
    }
    if (!ok || speed < kMinHostSpeed || speed > kMaxHostSpeed)
        bad("bad sp= value " + quoted(value) + " (an integer from " + std::to_string(kMinHostSpeed) + " to " +
            std::to_string(kMaxHostSpeed) + ")");
    return static_cast<int>(speed);
}

constexpr std::string_view kOptions[] = {"lo", "so", "dx", "ep", "wd", "sp", "bx", "ip", "id"};

bool isOption(std::string_view key) {
    for (std::string_view option : kOptions) {
        if (key == option) return true;
    }
    return false;
}

// applyOption sets one "xx=value" option on spec; seen holds the options already given on this line.
void applyOption(std::string_view field, HostSpec& spec, std::vector<std::string_view>& seen) {
    std::size_t eq = field.find('=');
    if (eq == std::string_view::npos) {
        if (isOption(field)) bad("option " + quoted(field) + " without '=' (options are xx=value)");
        bad("unexpected " + quoted(field) + " (one host per line; options are xx=value)");
    }
    std::string_view key = field.substr(0, eq);
    std::string_view value = field.substr(eq + 1);
    if (!isOption(key)) bad("unknown option " + quoted(field));
    if (value.empty()) bad("empty value for " + std::string(key) + "=");
    // so= may be given once with each of its values; the others once in all.
    std::string_view once = key == "so" ? field : key;
    for (std::string_view earlier : seen) {
        if (earlier == once) bad(std::string(key == "so" ? field : field.substr(0, eq + 1)) + " given twice");
    }
    seen.push_back(once);

    std::string text(value);
    if (key == "lo") {
        if (value.front() == '-') bad("bad lo= login name " + quoted(value) + " (must not start with '-')");
        spec.login = text;
    } else if (key == "so") {
        if (value == "pw")
            spec.askPassword = true;
        else if (value == "ms")
            spec.manualStart = true;
        else
            bad("unknown so= value " + quoted(value) + " (so=pw or so=ms)");
    } else if (key == "dx") {
        spec.daemonPath = text;
    } else if (key == "ep") {
        if (value.front() == ':' || value.back() == ':' || value.find("::") != std::string_view::npos)
            bad("empty element in ep= path " + quoted(value));
        spec.executablePath = text;
    } else if (key == "wd") {
        spec.workDir = text;
    } else if (key == "sp") {
        spec.speed = parseSpeed(value);
    } else if (key == "bx") {
        spec.debuggerPath = text;
    } else if (key == "ip") {
        checkHostName(value, "ip= name");
        spec.address = text;
    } else {
        spec.vmid = text;
    }
}

void applyOptions(const std::vector<std::string_view>& line, std::size_t first, HostSpec& spec) {
    std::vector<std::string_view> seen;
    for (std::size_t i = first; i < line.size(); ++i) applyOption(line[i], spec, seen);
}

// hostLine parses "[&]name options..." on top of the options of defaults.
HostSpec hostLine(const std::vector<std::string_view>& line, const HostSpec& defaults, bool inHostfile) {
    HostSpec spec = defaults;
    spec.name.clear();
    spec.deferred = false;
    spec.line = 0;
    std::size_t i = 0;
    std::string_view name = line.empty() ? std::string_view{} : line[0];
    if (name.starts_with('&')) {
        if (!inHostfile) bad("'&' belongs on hostfile lines, not in a host to add");
        spec.deferred = true;
        name.remove_prefix(1);
        if (name.empty()) name = ++i < line.size() ? line[i] : std::string_view{};
    }
    if (name.empty()) bad("missing host name");
    if (name.starts_with('*')) {
        if (spec.deferred) bad("an '&' line needs a host name, not " + quoted(name));
        if (!inHostfile) bad("'*' default lines belong in a hostfile, not in a host to add");
        bad("'*' must stand alone in the first field, not " + quoted(name));
    }
    if (name.find('=') != std::string_view::npos) bad("missing host name before " + quoted(name));
    if (name.starts_with('$')) bad("host overloading (" + quoted(name) + ") is not supported");
    checkHostName(name, "host name");
    spec.name = std::string(name);
    applyOptions(line, i + 1, spec);
    return spec;
}

}  // namespace

Hostfile parseHostfile(std::string_view text, const std::string& fileName) {
    Hostfile result;
    std::unordered_map<std::string, int> firstLine;               // lower-case name -> line
    if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);  // a UTF-8 byte order mark
    int number = 0;
    for (std::size_t start = 0; start < text.size();) {
        std::size_t end = text.find('\n', start);
        if (end == std::string_view::npos) end = text.size();
        std::string_view lineText = text.substr(start, end - start);
        start = end + 1;
        ++number;
        try {
            std::vector<std::string_view> line = fields(lineText);
            if (line.empty()) continue;
            if (line[0] == "*") {
                if (line.size() > 1 && line[1].find('=') == std::string_view::npos && !isOption(line[1]))
                    bad("a '*' line takes options only, not a host name (" + quoted(line[1]) + ")");
                applyOptions(line, 1, result.defaults);
                continue;
            }
            HostSpec spec = hostLine(line, result.defaults, true);
            spec.line = number;
            auto [it, added] = firstLine.emplace(lowerCase(spec.name), number);
            if (!added)
                bad("duplicate host " + quoted(spec.name) + " (first on line " + std::to_string(it->second) + ")");
            result.hosts.push_back(std::move(spec));
        } catch (const BadLine& e) {
            throw Error(PvmBadParam, fileName + ":" + std::to_string(number) + ": " + e.what());
        }
    }
    return result;
}

Hostfile readHostfile(const std::string& path) {
    int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) throw Error(PvmNoFile, path + ": " + std::strerror(errno));
    std::string text;
    char chunk[8192];
    while (true) {
        ssize_t n = read(fd, chunk, sizeof chunk);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            int saved = errno;
            close(fd);
            throw Error(PvmNoFile, path + ": " + std::strerror(saved));
        }
        if (n == 0) break;
        text.append(chunk, static_cast<std::size_t>(n));
        if (text.size() > kMaxFileSize) {
            close(fd);
            throw Error(PvmBadParam, path + ": larger than " + std::to_string(kMaxFileSize >> 20) + " MiB");
        }
    }
    close(fd);
    return parseHostfile(text, path);
}

HostSpec parseHostSpec(std::string_view oneHostLine, const HostSpec& defaults) {
    try {
        return hostLine(fields(oneHostLine), defaults, false);
    } catch (const BadLine& e) {
        throw Error(PvmBadParam, e.what());
    }
}

const HostSpec* findHost(const Hostfile& hostfile, std::string_view name) {
    for (const HostSpec& host : hostfile.hosts) {
        if (host.name.size() != name.size()) continue;
        bool same = true;
        for (std::size_t i = 0; i < name.size() && same; ++i) same = lower(host.name[i]) == lower(name[i]);
        if (same) return &host;
    }
    return nullptr;
}

}  // namespace pvm
