/*
 * pvmops.h - what the parts of pvmops share (pvmops.c says what it measures):
 * tags, limits, the options main sets, and the helpers of pvmops-util.c.
 * Plain C99 on pvm3.h, built against Debian's PVM 3.4.6 and against this project.
 */
#ifndef PVMOPS_H
#define PVMOPS_H

#include <limits.h>

#ifndef PATH_MAX
#define PATH_MAX 4096
#endif

#define TAG_READY 201  /* child -> master: enrolled (and pid for memory)   */
#define TAG_STOP 202   /* master -> child: exit                            */
#define TAG_EXITED 203 /* pvmd -> master: PvmTaskExit notification         */
#define TAG_WORK 204   /* master -> farm worker: item                      */
#define TAG_RESULT 205 /* farm worker -> master: answer                    */
#define TAG_CMD 206    /* group root -> members: op, count                 */
#define TAG_BC 207     /* group bcast payload                              */
#define TAG_RED 1000   /* group reduce: TAG_RED + k for the k-th reduce     */

#define CTRL_TIMEOUT_S 60
#define WATCHDOG_S 300
#define MAX_LIST 16

enum { OP_QUIT = 0, OP_BARRIER = 1, OP_BCAST = 2, OP_REDUCE = 3 };

/* Options, set by main (and by a child from its argv). */
extern const char* g_exe;
extern char g_self[PATH_MAX];
extern double g_target_s;
extern int g_reps;
extern int g_workers;
extern int g_direct;
extern int g_list[MAX_LIST];
extern int g_nlist;
extern const char* g_ops;
extern char g_what[160]; /* prefix of the watchdog's error line */

/* pvmops-util.c */
double now_us(void);
void on_alarm(int sig); /* the watchdog: prints "<g_what> error=watchdog_timeout" and exits */
void watch(int seconds);
int trecv(int tid, int tag, int seconds);
double median(double* v, int n);
int parse_list(const char* s); /* -c or -m: comma-separated counts into g_list */
void self_path(const char* argv0);
int spawn_children(const char* kind, char** extra, int n, int* tids);
int wait_exits(int n);

/* pvmops-child.c */
int child_main(const char* kind, int parent, int argc, char** argv);

/* pvmops-spawn.c, pvmops-group.c */
int bench_spawn(void);
int bench_farm(void);
int bench_group(void);
int bench_memory(void);

#endif
