/* compat.h - printing helpers shared by the differential test programs.
 * Every program prints one line per call: the call as written, "=", its result, and
 * the outputs that matter. Tids print as t<hex> (the harness renames them T1, T2...
 * in order of appearance), error codes as number and name, nothing that depends on
 * time, pids, the host name or load. stdout is unbuffered so that libpvm's own
 * messages on stderr (the runner merges both) land where they happen. */
#ifndef COMPAT_H
#define COMPAT_H
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "pvm3.h"

/* errName returns the pvm3.h name of a PVM error code, or "" for other values. */
static const char* errName(int code) {
    static const struct {
        int code;
        const char* name;
    } names[] = {
        {PvmOk, "PvmOk"},
        {PvmBadParam, "PvmBadParam"},
        {PvmMismatch, "PvmMismatch"},
        {PvmOverflow, "PvmOverflow"},
        {PvmNoData, "PvmNoData"},
        {PvmNoHost, "PvmNoHost"},
        {PvmNoFile, "PvmNoFile"},
        {PvmNoMem, "PvmNoMem"},
        {PvmBadMsg, "PvmBadMsg"},
        {PvmSysErr, "PvmSysErr"},
        {PvmNoBuf, "PvmNoBuf"},
        {PvmNoSuchBuf, "PvmNoSuchBuf"},
        {PvmNullGroup, "PvmNullGroup"},
        {PvmDupGroup, "PvmDupGroup"},
        {PvmNoGroup, "PvmNoGroup"},
        {PvmNotInGroup, "PvmNotInGroup"},
        {PvmNoInst, "PvmNoInst"},
        {PvmHostFail, "PvmHostFail"},
        {PvmNoParent, "PvmNoParent"},
        {PvmNotImpl, "PvmNotImpl"},
        {PvmDSysErr, "PvmDSysErr"},
        {PvmBadVersion, "PvmBadVersion"},
        {PvmOutOfRes, "PvmOutOfRes"},
        {PvmDupHost, "PvmDupHost"},
        {PvmCantStart, "PvmCantStart"},
        {PvmAlready, "PvmAlready"},
        {PvmNoTask, "PvmNoTask"},
        {PvmNotFound, "PvmNotFound"},
        {PvmExists, "PvmExists"},
        {PvmHostrNMstr, "PvmHostrNMstr"},
        {PvmParentNotSet, "PvmParentNotSet"},
        {PvmIPLoopback, "PvmIPLoopback"},
    };
    size_t i;
    for (i = 0; i < sizeof names / sizeof names[0]; i++)
        if (names[i].code == code) return names[i].name;
    return "";
}

/* res formats a plain result: numbers, with the error name when negative. */
static const char* res(int rc) {
    static char buf[8][64];
    static int next;
    char* b = buf[next++ % 8];
    if (rc < 0 && *errName(rc))
        snprintf(b, 64, "%d %s", rc, errName(rc));
    else
        snprintf(b, 64, "%d", rc);
    return b;
}

/* tidStr formats a result that is a tid when positive. */
static const char* tidStr(int tid) {
    static char buf[8][64];
    static int next;
    char* b = buf[next++ % 8];
    if (tid > 0)
        snprintf(b, 64, "t%x", tid);
    else
        return res(tid);
    return b;
}

#define R(e) printf("%s = %s\n", #e, res(e))
#define RT(e) printf("%s = %s\n", #e, tidStr(e))
#define SAY(...) printf(__VA_ARGS__)

/* begin makes output unbuffered and silences AutoErr unless the program tests it. */
static int begin(const char* name, int autoerr) {
    int me;
    setvbuf(stdout, NULL, _IONBF, 0);
    setvbuf(stderr, NULL, _IONBF, 0);
    if (!autoerr) pvm_setopt(PvmAutoErr, 0);
    me = pvm_mytid();
    printf("%s: mytid = %s\n", name, tidStr(me));
    return me;
}

/* selfHost tells whether a host name is this machine's (names differ between machines). */
static const char* hostWord(const char* name) {
    char here[256];
    if (gethostname(here, sizeof here) == 0 && strcmp(here, name) == 0) return "<self>";
    if (strcmp(name, "localhost") == 0) return "<self>";
    return name;
}
#endif
