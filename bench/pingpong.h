/*
 * pingpong.h - what the parts of pingpong share (pingpong.c says what it
 * measures): tags, limits, the options parse_args sets, and the helpers of
 * pingpong-args.c. Plain C99 on pvm3.h.
 */
#ifndef PINGPONG_H
#define PINGPONG_H

#include <limits.h>
#include <stddef.h>

#ifndef PATH_MAX
#define PATH_MAX 4096
#endif

#define TAG_HELLO 101   /* slave -> master: enrolled, route option set     */
#define TAG_SETSIZE 102 /* master -> slave: int size of the next cell      */
#define TAG_ACK 103     /* slave -> master: buffer ready                   */
#define TAG_PING 104    /* master -> slave: payload                        */
#define TAG_ECHO 105    /* slave -> master: payload echoed                 */
#define TAG_STOP 106    /* master -> slave: exit now                       */
#define TAG_EXITED 107  /* pvmd -> master: pvm_notify(PvmTaskExit) on slave */

#define MAX_SIZES 32
#define MIN_ROUNDS 5
#define MAX_ROUNDS 20000
#define CTRL_TIMEOUT_S 60   /* for control messages (hello, ack, exit)     */
#define CELL_WATCHDOG_S 300 /* alarm() per cell: a hung cell aborts the run */
#define MAX_ROUTES 8

/* Options, set by parse_args. */
extern const char* g_route;
extern const char* g_routes[MAX_ROUTES];
extern int g_nroutes;
extern const char* g_enc_name;
extern int g_enc;
extern int g_sizes[MAX_SIZES];
extern int g_nsizes;
extern double g_target_s;
extern int g_fixed_n;
extern const char* g_exe;
extern const char* g_host;
extern int g_halt;
extern int g_haltonly;
extern int g_version;

/* pingpong-args.c */
double now_us(void);
void usage(const char* prog);
int parse_args(int argc, char** argv); /* < 0 on a bad argument */
int self_path(const char* argv0, char* out, size_t outlen);
void* xmalloc(size_t n);

/* pingpong-master.c: the master's run over every route, cell by cell; its watchdog. */
int master_main(const char* argv0);
void on_alarm(int sig);

#endif
