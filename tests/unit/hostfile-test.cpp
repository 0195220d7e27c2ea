// hostfile-test.cpp - hostfile lines, '*' defaults, '&' hosts, errors, pvm_addhosts specs.
#include "hostfile.h"

#include <cstdlib>
#include <fstream>
#include <string>
#include <string_view>
#include <unistd.h>

#include <catch2/catch.hpp>

#include "errors.h"
#include "pvm3.h"

using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;
using pvm::Hostfile;
using pvm::HostSpec;

namespace {

Hostfile parse(std::string_view text) { return pvm::parseHostfile(text, "hosts"); }

// errorOf parses text as the file "hosts" and gives the error's message and code.
struct Failure {
    int code = 0;
    std::string message;
};

Failure errorOf(std::string_view text) {
    try {
        pvm::parseHostfile(text, "hosts");
    } catch (const pvm::Error& e) {
        return {e.code(), e.what()};
    }
    return {0, "no error"};
}

Failure specErrorOf(std::string_view spec) {
    try {
        pvm::parseHostSpec(spec, HostSpec{});
    } catch (const pvm::Error& e) {
        return {e.code(), e.what()};
    }
    return {0, "no error"};
}

// TempDir is a private directory removed with its files at the end of a test.
struct TempDir {
    std::string path;
    TempDir() {
        char pattern[] = "/tmp/hostfile-test.XXXXXX";
        REQUIRE(mkdtemp(pattern) != nullptr);
        path = pattern;
    }
    ~TempDir() {
        std::string command = "rm -rf '" + path + "'";
        if (std::system(command.c_str()) != 0) WARN("cannot remove " << path);
    }
    std::string write(const std::string& name, std::string_view text) const {
        std::string file = path + "/" + name;
        std::ofstream out(file, std::ios::binary);
        out << text;
        return file;
    }
};

}  // namespace

TEST_CASE("a simple hostfile lists its hosts in order with their lines", "[hostfile]") {
    Hostfile hf = parse("# my first host file\nthud\nfred\nwilma\nbarney\nbetty\n");
    REQUIRE(hf.hosts.size() == 5);
    const char* names[] = {"thud", "fred", "wilma", "barney", "betty"};
    for (int i = 0; i < 5; ++i) {
        CHECK(hf.hosts[i].name == names[i]);
        CHECK(hf.hosts[i].line == i + 2);
        CHECK_FALSE(hf.hosts[i].deferred);
        CHECK(hf.hosts[i].login.empty());
        CHECK(hf.hosts[i].speed == 0);
    }
}

TEST_CASE("every option sets its field", "[hostfile]") {
    Hostfile hf = parse(
        "full lo=guest so=pw so=ms dx=/usr/local/pvm3/lib/pvmd ep=bob/pvm3/bin/$PVM_ARCH:/opt/bin "
        "wd=/scratch/run sp=2500 bx=/usr/bin/gdb-wrapper ip=full-eth1 id=vm42\n"
        "bare\n");
    REQUIRE(hf.hosts.size() == 2);
    const HostSpec& h = hf.hosts[0];
    CHECK(h.name == "full");
    CHECK(h.login == "guest");
    CHECK(h.askPassword);
    CHECK(h.manualStart);
    CHECK(h.daemonPath == "/usr/local/pvm3/lib/pvmd");
    CHECK(h.executablePath == "bob/pvm3/bin/$PVM_ARCH:/opt/bin");
    CHECK(h.workDir == "/scratch/run");
    CHECK(h.speed == 2500);
    CHECK(h.debuggerPath == "/usr/bin/gdb-wrapper");
    CHECK(h.address == "full-eth1");
    CHECK(h.vmid == "vm42");
    CHECK_FALSE(h.deferred);
    CHECK(h.line == 1);

    const HostSpec& b = hf.hosts[1];
    CHECK(b.name == "bare");
    CHECK(b.login.empty());
    CHECK_FALSE(b.askPassword);
    CHECK_FALSE(b.manualStart);
    CHECK(b.daemonPath.empty());
    CHECK(b.executablePath.empty());
    CHECK(b.workDir.empty());
    CHECK(b.speed == 0);
    CHECK(b.debuggerPath.empty());
    CHECK(b.address.empty());
    CHECK(b.vmid.empty());
}

TEST_CASE("options are taken one at a time", "[hostfile]") {
    SECTION("so=pw alone") {
        HostSpec h = parse("a so=pw").hosts.at(0);
        CHECK(h.askPassword);
        CHECK_FALSE(h.manualStart);
    }
    SECTION("so=ms alone") {
        HostSpec h = parse("a so=ms").hosts.at(0);
        CHECK_FALSE(h.askPassword);
        CHECK(h.manualStart);
    }
    SECTION("sp= at both ends of its range, and with leading zeros") {
        CHECK(parse("a sp=1").hosts.at(0).speed == 1);
        CHECK(parse("a sp=1000000").hosts.at(0).speed == 1000000);
        CHECK(parse("a sp=0042").hosts.at(0).speed == 42);
    }
    SECTION("values keep '=', '$' and '#' inside them as written") {
        HostSpec h = parse("a wd=$HOME/run=1 dx=pvmd#2 lo=$USER").hosts.at(0);
        CHECK(h.workDir == "$HOME/run=1");
        CHECK(h.daemonPath == "pvmd#2");
        CHECK(h.login == "$USER");
    }
    SECTION("option order does not matter") {
        HostSpec h = parse("a sp=7 lo=x ep=/e").hosts.at(0);
        HostSpec g = parse("a ep=/e lo=x sp=7").hosts.at(0);
        CHECK(h.speed == g.speed);
        CHECK(h.login == g.login);
        CHECK(h.executablePath == g.executablePath);
    }
    SECTION("host names may hold digits, dots, hyphens and underscores") {
        CHECK(parse("node-01.cluster_a.example.org").hosts.at(0).name == "node-01.cluster_a.example.org");
        CHECK(parse("10.0.0.7").hosts.at(0).name == "10.0.0.7");
    }
}

TEST_CASE("'*' lines set defaults for the lines after them", "[hostfile]") {
    Hostfile hf = parse(
        "before\n"
        "*  lo=guest so=pw\n"
        "first\n"
        "second lo=other sp=10\n"
        "* sp=500 wd=/tmp\n"
        "third\n"
        "fourth wd=/home/x\n");
    REQUIRE(hf.hosts.size() == 5);
    const HostSpec& before = hf.hosts[0];
    CHECK(before.login.empty());
    CHECK_FALSE(before.askPassword);

    const HostSpec& first = hf.hosts[1];
    CHECK(first.login == "guest");
    CHECK(first.askPassword);
    CHECK(first.speed == 0);

    SECTION("options on a host line override the defaults for that host only") {
        const HostSpec& second = hf.hosts[2];
        CHECK(second.login == "other");
        CHECK(second.askPassword);
        CHECK(second.speed == 10);
    }
    SECTION("a later '*' line changes only the options it names") {
        const HostSpec& third = hf.hosts[3];
        CHECK(third.login == "guest");
        CHECK(third.askPassword);
        CHECK(third.speed == 500);
        CHECK(third.workDir == "/tmp");
        const HostSpec& fourth = hf.hosts[4];
        CHECK(fourth.workDir == "/home/x");
        CHECK(fourth.speed == 500);
    }
    SECTION("the last defaults are kept for hosts added later") {
        CHECK(hf.defaults.name.empty());
        CHECK(hf.defaults.login == "guest");
        CHECK(hf.defaults.askPassword);
        CHECK(hf.defaults.speed == 500);
        CHECK(hf.defaults.workDir == "/tmp");
        HostSpec added = pvm::parseHostSpec("later sp=3", hf.defaults);
        CHECK(added.login == "guest");
        CHECK(added.speed == 3);
        CHECK(added.workDir == "/tmp");
    }
    SECTION("a host line adds so= flags to the defaults'") {
        HostSpec h = parse("* so=pw\nh so=ms\n").hosts.at(0);
        CHECK(h.askPassword);
        CHECK(h.manualStart);
    }
    SECTION("a '*' line with no options changes nothing") {
        Hostfile plain = parse("* lo=a\n*\nh\n");
        CHECK(plain.hosts.at(0).login == "a");
    }
    SECTION("a file with no '*' line has empty defaults") {
        Hostfile plain = parse("h\n");
        CHECK(plain.defaults.login.empty());
        CHECK(plain.defaults.speed == 0);
    }
}

TEST_CASE("'&' lines are remembered but not started", "[hostfile]") {
    Hostfile hf = parse(
        "* lo=guest\n"
        "now\n"
        "& igor.firewall.com  lo=guest2  so=ms  ep=bob/pvm3/bin/$PVM_ARCH\n"
        "&later sp=99\n"
        "\t&\ttabbed\n");
    REQUIRE(hf.hosts.size() == 4);
    CHECK_FALSE(hf.hosts[0].deferred);

    const HostSpec& igor = hf.hosts[1];
    CHECK(igor.deferred);
    CHECK(igor.name == "igor.firewall.com");
    CHECK(igor.login == "guest2");
    CHECK(igor.manualStart);
    CHECK(igor.executablePath == "bob/pvm3/bin/$PVM_ARCH");
    CHECK(igor.line == 3);

    const HostSpec& later = hf.hosts[2];
    CHECK(later.deferred);
    CHECK(later.name == "later");
    CHECK(later.speed == 99);
    CHECK(later.login == "guest");  // '*' defaults apply to '&' hosts too

    CHECK(hf.hosts[3].deferred);
    CHECK(hf.hosts[3].name == "tabbed");

    SECTION("findHost finds them by name, without case") {
        const HostSpec* found = pvm::findHost(hf, "IGOR.Firewall.com");
        REQUIRE(found != nullptr);
        CHECK(found->login == "guest2");
        CHECK(pvm::findHost(hf, "now") == &hf.hosts[0]);
        CHECK(pvm::findHost(hf, "igor") == nullptr);
        CHECK(pvm::findHost(hf, "") == nullptr);
    }
}

TEST_CASE("comments and blank lines are skipped", "[hostfile]") {
    Hostfile hf = parse(
        "# leading comment\n"
        "\n"
        "   # indented comment\n"
        "\t#\ttabbed comment\n"
        "   \t  \n"
        "alpha   # trailing comment lo=ignored\n"
        "#beta\n"
        "gamma sp=5 #sp=6\n"
        "\n");
    REQUIRE(hf.hosts.size() == 2);
    CHECK(hf.hosts[0].name == "alpha");
    CHECK(hf.hosts[0].line == 6);
    CHECK(hf.hosts[0].login.empty());
    CHECK(hf.hosts[1].name == "gamma");
    CHECK(hf.hosts[1].line == 8);
    CHECK(hf.hosts[1].speed == 5);

    CHECK(parse("").hosts.empty());
    CHECK(parse("\n\n\n").hosts.empty());
    CHECK(parse("# only\n# comments").hosts.empty());
}

TEST_CASE("whitespace variants parse alike", "[hostfile]") {
    std::string_view variants[] = {
        "node lo=me sp=20\n",
        "node\tlo=me\tsp=20\n",
        "   node   lo=me  sp=20   \n",
        "\t node \t lo=me \t sp=20 \t\n",
        "node lo=me sp=20\r\n",
        "node lo=me sp=20",
        "\xEF\xBB\xBFnode lo=me sp=20\n",
    };
    for (std::string_view text : variants) {
        INFO("text: " << text);
        Hostfile hf = parse(text);
        REQUIRE(hf.hosts.size() == 1);
        CHECK(hf.hosts[0].name == "node");
        CHECK(hf.hosts[0].login == "me");
        CHECK(hf.hosts[0].speed == 20);
        CHECK(hf.hosts[0].line == 1);
    }
    SECTION("CRLF files count lines like LF files") {
        Hostfile hf = parse("# c\r\n\r\na\r\nb sp=3\r\n");
        REQUIRE(hf.hosts.size() == 2);
        CHECK(hf.hosts[1].name == "b");
        CHECK(hf.hosts[1].speed == 3);
        CHECK(hf.hosts[1].line == 4);
        CHECK_THAT(errorOf("a\r\n\r\nb sp=x\r\n").message, StartsWith("hosts:3: bad sp= value 'x'"));
    }
}

TEST_CASE("the man page's example hostfile", "[hostfile]") {
    Hostfile hf = parse(
        "# host file for testing on various platforms\n"
        "fonebone\n"
        "refuge\n"
        "# installed in /usr/local here\n"
        "sigi.cs             dx=/usr/local/pvm3/lib/pvmd\n"
        "# borrowed accts, \"guest\", don't trust fonebone\n"
        "*                   lo=guest  so=pw\n"
        "sn666.jrandom.com\n"
        "cubie.misc.edu\n"
        "# really painful one, must start it by hand and share a homedir\n"
        "& igor.firewall.com  lo=guest2  so=ms  ep=bob/pvm3/bin/$PVM_ARCH\n");
    REQUIRE(hf.hosts.size() == 6);
    CHECK(hf.hosts[0].name == "fonebone");
    CHECK(hf.hosts[2].daemonPath == "/usr/local/pvm3/lib/pvmd");
    CHECK(hf.hosts[2].line == 5);
    CHECK(hf.hosts[3].name == "sn666.jrandom.com");
    CHECK(hf.hosts[3].login == "guest");
    CHECK(hf.hosts[3].askPassword);
    CHECK(hf.hosts[4].askPassword);
    CHECK_FALSE(hf.hosts[1].askPassword);
    const HostSpec& igor = hf.hosts[5];
    CHECK(igor.deferred);
    CHECK(igor.login == "guest2");
    CHECK(igor.askPassword);  // from the '*' line
    CHECK(igor.manualStart);
    CHECK(igor.line == 11);
}

TEST_CASE("bad lines are reported with their file and line", "[hostfile][errors]") {
    struct Case {
        std::string_view text;
        std::string_view message;
    };
    SECTION("each kind of bad line") {
        Case cases[] = {
            {"ok\n\nnode xx=1\n", "hosts:3: unknown option 'xx=1'"},
            {"node LO=x\n", "hosts:1: unknown option 'LO=x'"},
            {"node =x\n", "hosts:1: unknown option '=x'"},
            {"a\nnode sp=0\n", "hosts:2: bad sp= value '0' (an integer from 1 to 1000000)"},
            {"node sp=1000001\n", "hosts:1: bad sp= value '1000001'"},
            {"node sp=99999999999999999999999\n", "hosts:1: bad sp= value '99999999999999999999999'"},
            {"node sp=-5\n", "hosts:1: bad sp= value '-5'"},
            {"node sp=+5\n", "hosts:1: bad sp= value '+5'"},
            {"node sp=fast\n", "hosts:1: bad sp= value 'fast'"},
            {"node sp=12x\n", "hosts:1: bad sp= value '12x'"},
            {"node sp=1.5\n", "hosts:1: bad sp= value '1.5'"},
            {"# c\nnode lo=\n", "hosts:2: empty value for lo="},
            {"node sp=\n", "hosts:1: empty value for sp="},
            {"node so=\n", "hosts:1: empty value for so="},
            {"node lo\n", "hosts:1: option 'lo' without '='"},
            {"node other\n", "hosts:1: unexpected 'other' (one host per line"},
            {"node so=xx\n", "hosts:1: unknown so= value 'xx' (so=pw or so=ms)"},
            {"node lo=a lo=b\n", "hosts:1: lo= given twice"},
            {"node so=pw so=pw\n", "hosts:1: so=pw given twice"},
            {"\n\n\nlo=guest\n", "hosts:4: missing host name before 'lo=guest'"},
            {"&\n", "hosts:1: missing host name"},
            {"& lo=x\n", "hosts:1: missing host name before 'lo=x'"},
            {"* node1 lo=x\n", "hosts:1: a '*' line takes options only, not a host name ('node1')"},
            {"* lo\n", "hosts:1: option 'lo' without '='"},
            {"* lo=a lo=b\n", "hosts:1: lo= given twice"},
            {"* bogus=1\n", "hosts:1: unknown option 'bogus=1'"},
            {"*lo=guest\n", "hosts:1: '*' must stand alone in the first field, not '*lo=guest'"},
            {"& * lo=x\n", "hosts:1: an '&' line needs a host name, not '*'"},
            {"$node\n", "hosts:1: host overloading ('$node') is not supported"},
            {"-oProxyCommand=x\n", "hosts:1: missing host name before '-oProxyCommand=x'"},
            {"-node\n", "hosts:1: bad host name '-node'"},
            {"user@node\n", "hosts:1: bad host name 'user@node'"},
            {"node lo=-oProxyCommand\n", "hosts:1: bad lo= login name '-oProxyCommand'"},
            {"node ip=bad/name\n", "hosts:1: bad ip= name 'bad/name'"},
            {"node ep=/a::/b\n", "hosts:1: empty element in ep= path '/a::/b'"},
            {"node ep=:/b\n", "hosts:1: empty element in ep= path ':/b'"},
            {"node ep=/a:\n", "hosts:1: empty element in ep= path '/a:'"},
            {"node wd=a\x01z\n", "hosts:1: control character in 'wd=a\x01z'"},
            {std::string_view("node wd=a\0z\n", 12), "hosts:1: control character in"},
        };
        for (const Case& c : cases) {
            INFO("text: " << c.text);
            Failure f = errorOf(c.text);
            CHECK(f.code == PvmBadParam);
            CHECK_THAT(f.message, StartsWith(std::string(c.message)));
        }
    }
    SECTION("a name longer than 255 characters") {
        std::string name(256, 'a');
        CHECK_THAT(errorOf(name).message, StartsWith("hosts:1: host name longer than 255 characters"));
        CHECK(parse(std::string(255, 'a')).hosts.size() == 1);
    }
    SECTION("the message names the file it was given") {
        try {
            pvm::parseHostfile("a\nb c\n", "/etc/pvm/hosts");
            FAIL("no error");
        } catch (const pvm::Error& e) {
            CHECK_THAT(e.what(), StartsWith("/etc/pvm/hosts:2: unexpected 'c'"));
        }
    }
    SECTION("the first bad line is the one reported") {
        CHECK_THAT(errorOf("a\nb sp=0\nc xx=1\n").message, StartsWith("hosts:2: "));
    }
}

TEST_CASE("a host given twice is an error naming both lines", "[hostfile][errors]") {
    Failure f = errorOf("alpha\nbeta\n# again:\nalpha sp=3\n");
    CHECK(f.code == PvmBadParam);
    CHECK_THAT(f.message, StartsWith("hosts:4: duplicate host 'alpha' (first on line 1)"));

    CHECK_THAT(errorOf("node\n&node\n").message, StartsWith("hosts:2: duplicate host 'node' (first on line 1)"));
    CHECK_THAT(errorOf("& node lo=a\nnode\n").message, StartsWith("hosts:2: duplicate host 'node'"));
    CHECK_THAT(errorOf("Node.Example.COM\nnode.example.com\n").message,
               StartsWith("hosts:2: duplicate host 'node.example.com' (first on line 1)"));
    // The same machine under two names (told apart by ip=) is fine.
    CHECK(parse("cpu-a ip=box\ncpu-b ip=box\n").hosts.size() == 2);
}

TEST_CASE("readHostfile reads a file and reports a missing one", "[hostfile]") {
    TempDir dir;
    SECTION("a readable file") {
        std::string path = dir.write("hosts", "# two hosts\nalpha sp=3\n& beta\n");
        Hostfile hf = pvm::readHostfile(path);
        REQUIRE(hf.hosts.size() == 2);
        CHECK(hf.hosts[0].speed == 3);
        CHECK(hf.hosts[1].deferred);
    }
    SECTION("an empty file") { CHECK(pvm::readHostfile(dir.write("empty", "")).hosts.empty()); }
    SECTION("a missing file is PvmNoFile naming the path") {
        std::string path = dir.path + "/no-such-hostfile";
        try {
            pvm::readHostfile(path);
            FAIL("no error");
        } catch (const pvm::Error& e) {
            CHECK(e.code() == PvmNoFile);
            CHECK_THAT(e.what(), Contains(path));
        }
    }
    SECTION("a directory is PvmNoFile too") {
        try {
            pvm::readHostfile(dir.path);
            FAIL("no error");
        } catch (const pvm::Error& e) {
            CHECK(e.code() == PvmNoFile);
            CHECK_THAT(e.what(), Contains(dir.path));
        }
    }
    SECTION("errors in a file carry its path and line") {
        std::string path = dir.write("bad", "ok\nbad sp=0\n");
        try {
            pvm::readHostfile(path);
            FAIL("no error");
        } catch (const pvm::Error& e) {
            CHECK(e.code() == PvmBadParam);
            CHECK_THAT(e.what(), StartsWith(path + ":2: bad sp= value '0'"));
        }
    }
}

TEST_CASE("parseHostSpec parses pvm_addhosts arguments", "[hostfile][addhosts]") {
    SECTION("a name with options") {
        HostSpec h = pvm::parseHostSpec("node1 sp=2000 ep=/opt/bin", HostSpec{});
        CHECK(h.name == "node1");
        CHECK(h.speed == 2000);
        CHECK(h.executablePath == "/opt/bin");
        CHECK_FALSE(h.deferred);
        CHECK(h.line == 0);
    }
    SECTION("a bare name, with surrounding whitespace") {
        HostSpec h = pvm::parseHostSpec("  \tsparky \n", HostSpec{});
        CHECK(h.name == "sparky");
        CHECK(h.speed == 0);
    }
    SECTION("defaults apply and the spec's options override them") {
        HostSpec defaults;
        defaults.name = "ignored";
        defaults.deferred = true;
        defaults.line = 17;
        defaults.login = "guest";
        defaults.speed = 100;
        defaults.askPassword = true;
        HostSpec h = pvm::parseHostSpec("thud.cs.utk.edu sp=5 wd=/w", defaults);
        CHECK(h.name == "thud.cs.utk.edu");
        CHECK(h.login == "guest");
        CHECK(h.askPassword);
        CHECK(h.speed == 5);
        CHECK(h.workDir == "/w");
        CHECK_FALSE(h.deferred);
        CHECK(h.line == 0);
    }
    SECTION("errors are PvmBadParam without a line number") {
        struct Case {
            std::string_view spec;
            std::string_view message;
        };
        Case cases[] = {
            {"node1 sp=0", "bad sp= value '0'"},
            {"node1 zz=1", "unknown option 'zz=1'"},
            {"node1 lo=", "empty value for lo="},
            {"node1 ep", "option 'ep' without '='"},
            {"node1 node2", "unexpected 'node2'"},
            {"", "missing host name"},
            {"   ", "missing host name"},
            {"# just a comment", "missing host name"},
            {"sp=10", "missing host name before 'sp=10'"},
            {"& node1", "'&' belongs on hostfile lines"},
            {"* lo=x", "'*' default lines belong in a hostfile"},
            {"bad!name", "bad host name 'bad!name'"},
        };
        for (const Case& c : cases) {
            INFO("spec: " << c.spec);
            Failure f = specErrorOf(c.spec);
            CHECK(f.code == PvmBadParam);
            CHECK_THAT(f.message, StartsWith(std::string(c.message)));
        }
    }
}

TEST_CASE("a realistic 20-host file", "[hostfile]") {
    std::string text =
        "# cluster hostfile for the weekend runs\n"
        "# head node: the master pvmd runs here\n"
        "head.cluster.example.org   sp=4000 wd=/scratch/pvm\n"
        "\n"
        "# compute nodes share one install and a guest account\n"
        "*\tlo=pvmuser dx=/opt/pvm3/lib/pvmd ep=/opt/app/bin:$HOME/pvm3/bin/$PVM_ARCH wd=/scratch/pvm\n";
    for (int i = 1; i <= 12; ++i) {
        std::string n = (i < 10 ? "0" : "") + std::to_string(i);
        text += "node" + n + ".cluster.example.org" + (i % 4 == 0 ? "\tsp=2000" : "") + "\n";
    }
    text +=
        "# the gpu boxes are faster and reached over the fast network\n"
        "* sp=8000\n"
        "gpu1.cluster.example.org ip=gpu1-ib\n"
        "gpu2.cluster.example.org ip=gpu2-ib  bx=/opt/tools/debugger   \n"
        "# the lab machine wants a password, and the firewalled ones are started by hand later\n"
        "lab.cs.example.edu lo=alice so=pw sp=500 # slow\n"
        "lab2.cs.example.edu lo=alice so=pw\n"
        "& fw1.example.net so=ms lo=bob\n"
        "& fw2.example.net so=ms lo=bob wd=/home/bob/run\n"
        "&fw3.example.net so=ms so=pw id=weekend\n";

    Hostfile hf = parse(text);
    REQUIRE(hf.hosts.size() == 20);

    const HostSpec& head = hf.hosts[0];
    CHECK(head.name == "head.cluster.example.org");
    CHECK(head.speed == 4000);
    CHECK(head.login.empty());
    CHECK(head.line == 3);

    int started = 0;
    for (const HostSpec& h : hf.hosts) started += h.deferred ? 0 : 1;
    CHECK(started == 17);

    for (int i = 1; i <= 12; ++i) {
        const HostSpec& node = hf.hosts[i];
        INFO("node " << i);
        CHECK(node.line == 6 + i);
        CHECK(node.login == "pvmuser");
        CHECK(node.daemonPath == "/opt/pvm3/lib/pvmd");
        CHECK(node.executablePath == "/opt/app/bin:$HOME/pvm3/bin/$PVM_ARCH");
        CHECK(node.speed == (i % 4 == 0 ? 2000 : 0));
        CHECK_FALSE(node.deferred);
    }
    CHECK(hf.hosts[12].name == "node12.cluster.example.org");

    const HostSpec& gpu2 = hf.hosts[14];
    CHECK(gpu2.name == "gpu2.cluster.example.org");
    CHECK(gpu2.address == "gpu2-ib");
    CHECK(gpu2.speed == 8000);
    CHECK(gpu2.debuggerPath == "/opt/tools/debugger");
    CHECK(gpu2.login == "pvmuser");

    const HostSpec& lab = hf.hosts[15];
    CHECK(lab.login == "alice");
    CHECK(lab.askPassword);
    CHECK(lab.speed == 500);

    const HostSpec& fw3 = hf.hosts[19];
    CHECK(fw3.name == "fw3.example.net");
    CHECK(fw3.deferred);
    CHECK(fw3.manualStart);
    CHECK(fw3.askPassword);
    CHECK(fw3.vmid == "weekend");
    CHECK(fw3.speed == 8000);
    CHECK(fw3.line == 28);

    // A later pvm_addhosts("fw2.example.net") picks up its remembered options.
    const HostSpec* fw2 = pvm::findHost(hf, "fw2.example.net");
    REQUIRE(fw2 != nullptr);
    CHECK(fw2->deferred);
    CHECK(fw2->workDir == "/home/bob/run");
    CHECK(hf.defaults.speed == 8000);
    CHECK(hf.defaults.login == "pvmuser");
}
