/* layouts.c - prints the size and member offsets of every structure of pvm3.h and pvmtev.h
 * and what the function-like macros give. check-headers.sh compiles it once against
 * Debian's PVM 3.4.6 headers and once against ours: the two outputs must be equal. */
#include <stddef.h>
#include <stdio.h>

#include <pvm3.h>
#include <pvmtev.h>

#define SIZE(T) printf("sizeof %s = %zu\n", #T, sizeof(T))
#define FIELD(T, f) printf("  %s.%s at %zu, %zu bytes\n", #T, #f, offsetof(T, f), sizeof(((T*)0)->f))

int main(void) {
    Pvmtmask m;
    int k;
    SIZE(struct pvmhostinfo);
    FIELD(struct pvmhostinfo, hi_tid);
    FIELD(struct pvmhostinfo, hi_name);
    FIELD(struct pvmhostinfo, hi_arch);
    FIELD(struct pvmhostinfo, hi_speed);
    FIELD(struct pvmhostinfo, hi_dsig);
    SIZE(struct pvmtaskinfo);
    FIELD(struct pvmtaskinfo, ti_tid);
    FIELD(struct pvmtaskinfo, ti_ptid);
    FIELD(struct pvmtaskinfo, ti_host);
    FIELD(struct pvmtaskinfo, ti_flag);
    FIELD(struct pvmtaskinfo, ti_a_out);
    FIELD(struct pvmtaskinfo, ti_pid);
    SIZE(struct pvmminfo);
    FIELD(struct pvmminfo, len);
    FIELD(struct pvmminfo, ctx);
    FIELD(struct pvmminfo, tag);
    FIELD(struct pvmminfo, wid);
    FIELD(struct pvmminfo, enc);
    FIELD(struct pvmminfo, crc);
    FIELD(struct pvmminfo, src);
    FIELD(struct pvmminfo, dst);
    SIZE(struct pvmmboxinfo);
    FIELD(struct pvmmboxinfo, mi_name);
    FIELD(struct pvmmboxinfo, mi_nentries);
    FIELD(struct pvmmboxinfo, mi_indices);
    FIELD(struct pvmmboxinfo, mi_owners);
    FIELD(struct pvmmboxinfo, mi_flags);
    SIZE(struct Pvmtevdid);
    FIELD(struct Pvmtevdid, did);
    FIELD(struct Pvmtevdid, desc);
    SIZE(struct Pvmtevinfo);
    FIELD(struct Pvmtevinfo, name);
    FIELD(struct Pvmtevinfo, desc_status);
    FIELD(struct Pvmtevinfo, mark);
    FIELD(struct Pvmtevinfo, total);
    FIELD(struct Pvmtevinfo, count);
    SIZE(struct Pvmtracer);
    FIELD(struct Pvmtracer, trctid);
    FIELD(struct Pvmtracer, trcctx);
    FIELD(struct Pvmtracer, trctag);
    FIELD(struct Pvmtracer, outtid);
    FIELD(struct Pvmtracer, outctx);
    FIELD(struct Pvmtracer, outtag);
    FIELD(struct Pvmtracer, trcbuf);
    FIELD(struct Pvmtracer, trcopt);
    FIELD(struct Pvmtracer, tmask);
    SIZE(Pvmtmask);
    printf("PvmMboxDirectIndex(5) = %d\n", PvmMboxDirectIndex(5));
    printf("PvmMboxDirectIndex(PvmMboxMaxDirectIndex + 1) = %d\n", PvmMboxDirectIndex(PvmMboxMaxDirectIndex + 1));
    printf("PvmMboxDirectIndexOf(7 << 10 | 3) = %d\n", PvmMboxDirectIndexOf(7 << 10 | 3));
    TEV_MASK_INIT(m);
    TEV_MASK_SET(m, TEV_SEND);
    TEV_MASK_SET(m, TEV_MAX);
    TEV_MASK_UNSET(m, TEV_MAX);
    printf("mask = %s, send %d, recv %d\n", m, TEV_MASK_CHECK(m, TEV_SEND) != 0, TEV_MASK_CHECK(m, TEV_RECV) != 0);
    for (k = 0; k < TEV_MASK_LENGTH; ++k) printf("%d ", m[k]);
    printf("\n");
    return 0;
}
