/* pingpong-args.c - pingpong's options, and the helpers its parts share (pingpong.h). */
#define _XOPEN_SOURCE 700

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "pvm3.h"

#include "pingpong.h"

const char* g_route = "both";
const char* g_routes[MAX_ROUTES];
int g_nroutes = 0;
const char* g_enc_name = "raw";
int g_enc = PvmDataRaw;
int g_sizes[MAX_SIZES];
int g_nsizes = 0;
double g_target_s = 0.75;
int g_fixed_n = 0;
const char* g_exe = NULL;
const char* g_host = NULL;
int g_halt = 0;
int g_haltonly = 0;
int g_version = 0;

double now_us(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

void usage(const char* prog) {
    fprintf(stderr,
            "usage: %s [-r daemon|direct|oneside|default|both|all|LIST] [-e raw|inplace|default]\n"
            "          [-host NAME]\n"
            "          [-s size,size,...] [-t seconds] [-n rounds] [-exe path]\n"
            "          [-halt] [-haltonly] [-version]\n",
            prog);
}

static int parse_encoding(const char* s) {
    if (strcmp(s, "raw") == 0) return PvmDataRaw;
    if (strcmp(s, "inplace") == 0) return PvmDataInPlace;
    if (strcmp(s, "default") == 0 || strcmp(s, "xdr") == 0) return PvmDataDefault;
    return -1;
}

/* "daemon,oneside", "both", "all" -> g_routes; -1 on a bad name. */
static int parse_routes(const char* s) {
    static char copy[128];
    char *tok, *save = NULL;
    if (strcmp(s, "both") == 0) s = "daemon,direct";
    if (strcmp(s, "all") == 0) s = "daemon,direct,oneside,default";
    if (strlen(s) >= sizeof copy) return -1;
    strcpy(copy, s);
    g_nroutes = 0;
    for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        if (strcmp(tok, "daemon") && strcmp(tok, "direct") && strcmp(tok, "oneside") && strcmp(tok, "default"))
            return -1;
        if (g_nroutes >= MAX_ROUTES) return -1;
        g_routes[g_nroutes++] = tok;
    }
    return g_nroutes > 0 ? 0 : -1;
}

static int parse_sizes(const char* s) {
    char *copy = malloc(strlen(s) + 1), *tok, *save = NULL;
    if (!copy) return -1;
    strcpy(copy, s);
    g_nsizes = 0;
    for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        char* end;
        long v = strtol(tok, &end, 10);
        if (*end == 'k' || *end == 'K') {
            v *= 1024;
            end++;
        } else if (*end == 'm' || *end == 'M') {
            v *= 1024 * 1024;
            end++;
        }
        if (*end != '\0' || v <= 0 || v > 1024L * 1024 * 1024 || g_nsizes >= MAX_SIZES) {
            free(copy);
            return -1;
        }
        g_sizes[g_nsizes++] = (int)v;
    }
    free(copy);
    return g_nsizes > 0 ? 0 : -1;
}

int parse_args(int argc, char** argv) {
    int i;
    for (i = 1; i < argc; i++) {
        const char* a = argv[i];
        const char* v = (i + 1 < argc) ? argv[i + 1] : NULL;
        if (strcmp(a, "-r") == 0 || strcmp(a, "-route") == 0) {
            if (!v || parse_routes(v) < 0) return -1;
            g_route = v;
            i++;
        } else if (strcmp(a, "-e") == 0 || strcmp(a, "-enc") == 0) {
            if (!v || (g_enc = parse_encoding(v)) < 0) return -1;
            g_enc_name = v;
            i++;
        } else if (strcmp(a, "-s") == 0 || strcmp(a, "-sizes") == 0) {
            if (!v || parse_sizes(v) < 0) return -1;
            i++;
        } else if (strcmp(a, "-t") == 0) {
            if (!v || (g_target_s = atof(v)) <= 0) return -1;
            i++;
        } else if (strcmp(a, "-n") == 0) {
            if (!v || (g_fixed_n = atoi(v)) <= 0) return -1;
            i++;
        } else if (strcmp(a, "-exe") == 0) {
            if (!v) return -1;
            g_exe = v;
            i++;
        } else if (strcmp(a, "-host") == 0) {
            if (!v) return -1;
            g_host = v;
            i++;
        } else if (strcmp(a, "-halt") == 0) {
            g_halt = 1;
        } else if (strcmp(a, "-haltonly") == 0) {
            g_haltonly = 1;
        } else if (strcmp(a, "-version") == 0) {
            g_version = 1;
        } else {
            return -1;
        }
    }
    if (g_nsizes == 0) parse_sizes("8,1024,65536,1048576,16777216");
    if (g_nroutes == 0) parse_routes(g_route);
    return 0;
}

/* Absolute path of this executable, for pvm_spawn. */
int self_path(const char* argv0, char* out, size_t outlen) {
    char buf[PATH_MAX];
    ssize_t n;
    if (g_exe) {
        if (g_exe[0] == '/' || !realpath(g_exe, buf)) {
            snprintf(out, outlen, "%s", g_exe);
        } else {
            snprintf(out, outlen, "%s", buf);
        }
        return 0;
    }
    if (strchr(argv0, '/') && realpath(argv0, buf)) {
        snprintf(out, outlen, "%s", buf);
        return 0;
    }
    n = readlink("/proc/self/exe", buf, sizeof buf - 1);
    if (n > 0) {
        buf[n] = '\0';
        snprintf(out, outlen, "%s", buf);
        return 0;
    }
    /* Last resort: a bare name, looked up in the PVM search path. */
    snprintf(out, outlen, "%s", argv0);
    return 0;
}

void* xmalloc(size_t n) {
    void* p = malloc(n ? n : 1);
    if (!p) {
        fprintf(stderr, "pingpong: out of memory (%lu bytes)\n", (unsigned long)n);
        exit(1);
    }
    return p;
}
