/*
 * mpi_pingpong.c - MPI round-trip / bandwidth benchmark, the Open MPI column
 * of bench/run-all.sh.  Same cells and output format as bench/pingpong.c:
 *
 *     rank 0: MPI_Send(buf, size, MPI_BYTE, 1, PING); MPI_Recv(buf, size, ..., 1, ECHO)
 *     rank 1: MPI_Recv(buf, size, ..., 0, PING);      MPI_Send(buf, size, ..., 0, ECHO)
 *
 * For every size: one checked round trip, warm-up for ~10% of the target
 * time (2..200 round trips), then N = target / estimated rtt timed round
 * trips (5 <= N <= 20000), each timed with CLOCK_MONOTONIC, data checked
 * again at the end.  One line per size:
 *     route=mpi size=8 n=20000 rtt_us=.. rtt_med_us=.. rtt_min_us=.. mbps=.. mbps_med=.. enc=mpi
 *
 *   mpirun -np 2 mpi_pingpong [-s 8,1024,...] [-t seconds] [-n rounds]
 *
 * An alarm() watchdog per cell prints error= instead of hanging.
 */
#define _XOPEN_SOURCE 700

#include <mpi.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define TAG_PING 1
#define TAG_ECHO 2
#define TAG_CTRL 3
#define MAX_SIZES 32
#define MIN_ROUNDS 5
#define MAX_ROUNDS 20000
#define CELL_WATCHDOG_S 300

static int g_sizes[MAX_SIZES];
static int g_nsizes = 0;
static double g_target_s = 0.75;
static int g_fixed_n = 0;
static int g_cell_size = 0;

static double now_us(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
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

static void on_alarm(int sig) {
    char line[128];
    int len;
    (void)sig;
    len = snprintf(line, sizeof line, "route=mpi size=%d error=watchdog_timeout_%ds\n", g_cell_size, CELL_WATCHDOG_S);
    if (len > 0) {
        ssize_t w = write(1, line, (size_t)len);
        (void)w;
    }
    _exit(3);
}

static int cmp_double(const void* a, const void* b) {
    double x = *(const double*)a, y = *(const double*)b;
    return x < y ? -1 : x > y;
}

static void* xmalloc(size_t n) {
    void* p = malloc(n ? n : 1);
    if (!p) {
        fprintf(stderr, "mpi_pingpong: out of memory\n");
        MPI_Abort(MPI_COMM_WORLD, 1);
    }
    return p;
}

static void round_trip(char* sbuf, char* rbuf, int size) {
    MPI_Send(sbuf, size, MPI_BYTE, 1, TAG_PING, MPI_COMM_WORLD);
    MPI_Recv(rbuf, size, MPI_BYTE, 1, TAG_ECHO, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
}

/* rank 0: one cell.  The size was already sent to rank 1. */
static int run_cell(int size) {
    char *sbuf = xmalloc((size_t)size), *rbuf = xmalloc((size_t)size);
    double t0, t1, t, total = 0, tmin = 1e300, warm_elapsed = 0, med, rtt;
    double* samples;
    int i, n, warm = 0, bad = 0;

    for (i = 0; i < size; i++) sbuf[i] = (char)((i * 7 + size) & 0xff);
    memset(rbuf, 0, (size_t)size);
    round_trip(sbuf, rbuf, size);
    if (memcmp(sbuf, rbuf, (size_t)size) != 0) bad = 1;

    t0 = now_us();
    do {
        round_trip(sbuf, rbuf, size);
        warm++;
        warm_elapsed = now_us() - t0;
    } while (warm < 200 && (warm < 2 || warm_elapsed < g_target_s * 1e5));

    if (g_fixed_n > 0) {
        n = g_fixed_n;
    } else {
        double est = warm_elapsed / warm;
        double want = g_target_s * 1e6 / (est > 0.01 ? est : 0.01);
        n = want > MAX_ROUNDS ? MAX_ROUNDS : (int)want;
        if (n < MIN_ROUNDS) n = MIN_ROUNDS;
    }
    /* Tell rank 1 how many more round trips come (it loops on the count). */
    MPI_Send(&n, 1, MPI_INT, 1, TAG_CTRL, MPI_COMM_WORLD);

    samples = xmalloc((size_t)n * sizeof *samples);
    memset(rbuf, 0, (size_t)size);
    for (i = 0; i < n; i++) {
        t0 = now_us();
        round_trip(sbuf, rbuf, size);
        t1 = now_us();
        t = t1 - t0;
        samples[i] = t;
        total += t;
        if (t < tmin) tmin = t;
    }
    if (memcmp(sbuf, rbuf, (size_t)size) != 0) bad = 1;
    if (bad) {
        printf("route=mpi size=%d error=data_mismatch\n", size);
    } else {
        qsort(samples, (size_t)n, sizeof *samples, cmp_double);
        med = (n % 2) ? samples[n / 2] : 0.5 * (samples[n / 2 - 1] + samples[n / 2]);
        rtt = total / n;
        printf("route=mpi size=%d n=%d rtt_us=%.2f rtt_med_us=%.2f rtt_min_us=%.2f mbps=%.2f mbps_med=%.2f enc=mpi\n",
               size, n, rtt, med, tmin, 2.0 * size / rtt, 2.0 * size / med);
    }
    fflush(stdout);
    free(sbuf);
    free(rbuf);
    free(samples);
    return bad ? -1 : 0;
}

/* rank 1: echo until rank 0 sends a size of 0. */
static void echo_loop(void) {
    char* buf = NULL;
    int cap = 0, size, i, n, warm_done;
    MPI_Status st;
    for (;;) {
        MPI_Recv(&size, 1, MPI_INT, 0, TAG_CTRL, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        if (size <= 0) break;
        if (size > cap) {
            free(buf);
            buf = xmalloc((size_t)size);
            cap = size;
        }
        /* check + warm-up round trips until the count arrives on TAG_CTRL */
        warm_done = 0;
        while (!warm_done) {
            MPI_Probe(0, MPI_ANY_TAG, MPI_COMM_WORLD, &st);
            if (st.MPI_TAG == TAG_CTRL) {
                MPI_Recv(&n, 1, MPI_INT, 0, TAG_CTRL, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
                warm_done = 1;
            } else {
                MPI_Recv(buf, size, MPI_BYTE, 0, TAG_PING, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
                MPI_Send(buf, size, MPI_BYTE, 0, TAG_ECHO, MPI_COMM_WORLD);
            }
        }
        for (i = 0; i < n; i++) {
            MPI_Recv(buf, size, MPI_BYTE, 0, TAG_PING, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
            MPI_Send(buf, size, MPI_BYTE, 0, TAG_ECHO, MPI_COMM_WORLD);
        }
    }
    free(buf);
}

int main(int argc, char** argv) {
    int rank, nprocs, i, zero = 0;

    setvbuf(stdout, NULL, _IOLBF, 0);
    MPI_Init(&argc, &argv);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &nprocs);
    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-s") == 0 && i + 1 < argc) {
            if (parse_sizes(argv[++i]) < 0) goto usage;
        } else if (strcmp(argv[i], "-t") == 0 && i + 1 < argc) {
            if ((g_target_s = atof(argv[++i])) <= 0) goto usage;
        } else if (strcmp(argv[i], "-n") == 0 && i + 1 < argc) {
            if ((g_fixed_n = atoi(argv[++i])) <= 0) goto usage;
        } else {
            goto usage;
        }
    }
    if (g_nsizes == 0) parse_sizes("8,1024,65536,1048576,16777216");
    if (nprocs != 2) {
        if (rank == 0) printf("route=mpi error=needs_2_ranks_got_%d\n", nprocs);
        MPI_Finalize();
        return 1;
    }

    signal(SIGALRM, on_alarm);
    if (rank == 0) {
        int rc = 0, ver, sub;
        char lib[MPI_MAX_LIBRARY_VERSION_STRING];
        int len = 0;
        MPI_Get_version(&ver, &sub);
        MPI_Get_library_version(lib, &len);
        for (i = 0; i < len; i++)
            if (lib[i] == '\n' || lib[i] == ',') lib[i] = '\0'; /* first line / field only */
        printf("# mpi_pingpong MPI %d.%d %s\n", ver, sub, lib);
        for (i = 0; i < g_nsizes; i++) {
            g_cell_size = g_sizes[i];
            alarm(CELL_WATCHDOG_S);
            MPI_Send(&g_sizes[i], 1, MPI_INT, 1, TAG_CTRL, MPI_COMM_WORLD);
            if (run_cell(g_sizes[i]) < 0) rc = 1;
            alarm(0);
        }
        MPI_Send(&zero, 1, MPI_INT, 1, TAG_CTRL, MPI_COMM_WORLD);
        MPI_Finalize();
        return rc;
    }
    alarm(CELL_WATCHDOG_S * (g_nsizes + 1));
    echo_loop();
    MPI_Finalize();
    return 0;

usage:
    if (rank == 0) fprintf(stderr, "usage: mpirun -np 2 %s [-s 8,1024,...] [-t seconds] [-n rounds]\n", argv[0]);
    MPI_Finalize();
    return 2;
}
