/* pvmtev.h - tracing of PVM calls: the trace mask of pvm_settmask and pvm_gettmask,
 * and the numbers of the calls in it. A traced call sends, when it returns, a message
 * (PvmDataDefault, tag PvmSelfTraceCode, to PvmSelfTraceTid) holding: int event number,
 * string call name, int result, int tid, int seconds, int microseconds.
 * The event numbers are this implementation's (alphabetical), not PVM 3.4's. */
#ifndef PVMTEV_H
#define PVMTEV_H

#define TEV_MASK_LENGTH 36

/* A mask holds 4 events per character, so that it stays a printable string. */
typedef char Pvmtmask[TEV_MASK_LENGTH];
#define TEV_MASK_SET(m, k) ((m)[(k) / 4] |= (char)(1 << ((k)&3)))
#define TEV_MASK_UNSET(m, k) ((m)[(k) / 4] &= (char)~(1 << ((k)&3)))
#define TEV_MASK_CHECK(m, k) ((m)[(k) / 4] & (1 << ((k)&3)))
#define TEV_MASK_INIT(m)                                                                                \
    do {                                                                                                \
        int tev_mask_i_;                                                                                \
        for (tev_mask_i_ = 0; tev_mask_i_ < TEV_MASK_LENGTH - 1; ++tev_mask_i_) (m)[tev_mask_i_] = '@'; \
        (m)[TEV_MASK_LENGTH - 1] = '\0';                                                                \
    } while (0)

/* Events */
#define TEV_ADDHOSTS 0
#define TEV_ADDMHF 1
#define TEV_ARCHCODE 2
#define TEV_BARRIER 3
#define TEV_BCAST 4
#define TEV_BUFINFO 5
#define TEV_CATCHOUT 6
#define TEV_CONFIG 7
#define TEV_DELETE 8
#define TEV_DELHOSTS 9
#define TEV_DELINFO 10
#define TEV_DELMHF 11
#define TEV_EXIT 12
#define TEV_EXPORT 13
#define TEV_FREEBUF 14
#define TEV_FREECONTEXT 15
#define TEV_FREEZEGROUP 16
#define TEV_GATHER 17
#define TEV_GETCONTEXT 18
#define TEV_GETFDS 19
#define TEV_GETINST 20
#define TEV_GETMBOXINFO 21
#define TEV_GETMINFO 22
#define TEV_GETMWID 23
#define TEV_GETNORESETS 24
#define TEV_GETOPT 25
#define TEV_GETRBUF 26
#define TEV_GETSBUF 27
#define TEV_GETTID 28
#define TEV_GETTMASK 29
#define TEV_GSIZE 30
#define TEV_HALT 31
#define TEV_HOSTSYNC 32
#define TEV_INITSEND 33
#define TEV_INSERT 34
#define TEV_JOINGROUP 35
#define TEV_KILL 36
#define TEV_LOOKUP 37
#define TEV_LVGROUP 38
#define TEV_MCAST 39
#define TEV_MKBUF 40
#define TEV_MSTAT 41
#define TEV_MYTID 42
#define TEV_NEWCONTEXT 43
#define TEV_NOTIFY 44
#define TEV_NRECV 45
#define TEV_PACKF 46
#define TEV_PARENT 47
#define TEV_PERROR 48
#define TEV_PKBYTE 49
#define TEV_PKCPLX 50
#define TEV_PKDCPLX 51
#define TEV_PKDOUBLE 52
#define TEV_PKFLOAT 53
#define TEV_PKINT 54
#define TEV_PKLONG 55
#define TEV_PKMESG 56
#define TEV_PKMESGBODY 57
#define TEV_PKSHORT 58
#define TEV_PKSTR 59
#define TEV_PKUINT 60
#define TEV_PKULONG 61
#define TEV_PKUSHORT 62
#define TEV_PRECV 63
#define TEV_PROBE 64
#define TEV_PSEND 65
#define TEV_PSTAT 66
#define TEV_PUTINFO 67
#define TEV_RECV 68
#define TEV_RECVF 69
#define TEV_RECVINFO 70
#define TEV_REDUCE 71
#define TEV_REG_HOSTER 72
#define TEV_REG_RM 73
#define TEV_REG_TASKER 74
#define TEV_REG_TRACER 75
#define TEV_SCATTER 76
#define TEV_SEND 77
#define TEV_SENDSIG 78
#define TEV_SETCONTEXT 79
#define TEV_SETMINFO 80
#define TEV_SETMWID 81
#define TEV_SETOPT 82
#define TEV_SETRBUF 83
#define TEV_SETSBUF 84
#define TEV_SETTMASK 85
#define TEV_SIBLINGS 86
#define TEV_SPAWN 87
#define TEV_START_PVMD 88
#define TEV_STRERROR 89
#define TEV_TASKS 90
#define TEV_TICKLE 91
#define TEV_TIDTOHOST 92
#define TEV_TRECV 93
#define TEV_UNEXPORT 94
#define TEV_UNPACKF 95
#define TEV_UPKBYTE 96
#define TEV_UPKCPLX 97
#define TEV_UPKDCPLX 98
#define TEV_UPKDOUBLE 99
#define TEV_UPKFLOAT 100
#define TEV_UPKINT 101
#define TEV_UPKLONG 102
#define TEV_UPKMESG 103
#define TEV_UPKSHORT 104
#define TEV_UPKSTR 105
#define TEV_UPKUINT 106
#define TEV_UPKULONG 107
#define TEV_UPKUSHORT 108
#define TEV_VERSION 109
#define TEV_MAX 109

#ifdef __cplusplus
extern "C" {
#endif
int pvm_settmask(int who, Pvmtmask mask);
int pvm_gettmask(int who, Pvmtmask mask);
#ifdef __cplusplus
}
#endif

#endif /* PVMTEV_H */
