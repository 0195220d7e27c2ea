/* pvmops-util.c - the options and helpers the parts of pvmops share (pvmops.h). */
#define _XOPEN_SOURCE 700

#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "pvm3.h"

#include "pvmops.h"

const char* g_exe = NULL;
char g_self[PATH_MAX];
double g_target_s = 0.75;
int g_reps = 5;
int g_workers = 4;
int g_direct = 0;
int g_list[MAX_LIST];
int g_nlist = 0;
const char* g_ops = "barrier,bcast,reduce";
char g_what[160] = "test=?"; /* prefix of the watchdog's error line */

double now_us(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

void on_alarm(int sig) {
    char line[256];
    int len;
    (void)sig;
    len = snprintf(line, sizeof line, "%s error=watchdog_timeout_%ds\n", g_what, WATCHDOG_S);
    if (len > 0) {
        ssize_t w = write(1, line, (size_t)len);
        (void)w;
    }
    _exit(3);
}

void watch(int seconds) { alarm((unsigned)seconds); }

int trecv(int tid, int tag, int seconds) {
    struct timeval tmo;
    tmo.tv_sec = seconds;
    tmo.tv_usec = 0;
    return pvm_trecv(tid, tag, &tmo);
}

int cmp_double(const void* a, const void* b) {
    double x = *(const double*)a, y = *(const double*)b;
    return x < y ? -1 : x > y;
}

double median(double* v, int n) {
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return (n % 2) ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

int parse_list(const char* s) {
    char buf[256], *tok, *save = NULL;
    if (strlen(s) >= sizeof buf) return -1;
    strcpy(buf, s);
    g_nlist = 0;
    for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        int v = atoi(tok);
        if (v <= 0 || g_nlist >= MAX_LIST) return -1;
        g_list[g_nlist++] = v;
    }
    return g_nlist > 0 ? 0 : -1;
}

void self_path(const char* argv0) {
    char buf[PATH_MAX];
    ssize_t n;
    if (g_exe) {
        if (g_exe[0] != '/' && realpath(g_exe, buf))
            snprintf(g_self, sizeof g_self, "%s", buf);
        else
            snprintf(g_self, sizeof g_self, "%s", g_exe);
        return;
    }
    if (strchr(argv0, '/') && realpath(argv0, buf)) {
        snprintf(g_self, sizeof g_self, "%s", buf);
        return;
    }
    n = readlink("/proc/self/exe", buf, sizeof buf - 1);
    if (n > 0) {
        buf[n] = '\0';
        snprintf(g_self, sizeof g_self, "%s", buf);
        return;
    }
    snprintf(g_self, sizeof g_self, "%s", argv0);
}

/* Spawn n children "-child KIND [extra...]"; returns how many started. */
int spawn_children(const char* kind, char** extra, int n, int* tids) {
    char* argv[12];
    int i = 0, numt;
    argv[i++] = "-child";
    argv[i++] = (char*)kind;
    while (extra && *extra && i < 11) argv[i++] = *extra++;
    argv[i] = NULL;
    numt = pvm_spawn(g_self, argv, PvmTaskDefault, "", n, tids);
    return numt;
}

/* Wait for n PvmTaskExit notifications; returns how many came. */
int wait_exits(int n) {
    int got = 0;
    while (got < n && trecv(-1, TAG_EXITED, CTRL_TIMEOUT_S) > 0) got++;
    return got;
}
