// trace_events.h - the calls tracing knows, in the order of pvmtev.h's TEV_ numbers.
#pragma once

namespace pvm {

constexpr const char* kTraceEvents[] = {
    "pvm_addhosts",    "pvm_addmhf",     "pvm_archcode",   "pvm_barrier",     "pvm_bcast",       "pvm_bufinfo",
    "pvm_catchout",    "pvm_config",     "pvm_delete",     "pvm_delhosts",    "pvm_delinfo",     "pvm_delmhf",
    "pvm_exit",        "pvm_export",     "pvm_freebuf",    "pvm_freecontext", "pvm_freezegroup", "pvm_gather",
    "pvm_getcontext",  "pvm_getfds",     "pvm_getinst",    "pvm_getmboxinfo", "pvm_getminfo",    "pvm_getmwid",
    "pvm_getnoresets", "pvm_getopt",     "pvm_getrbuf",    "pvm_getsbuf",     "pvm_gettid",      "pvm_gettmask",
    "pvm_gsize",       "pvm_halt",       "pvm_hostsync",   "pvm_initsend",    "pvm_insert",      "pvm_joingroup",
    "pvm_kill",        "pvm_lookup",     "pvm_lvgroup",    "pvm_mcast",       "pvm_mkbuf",       "pvm_mstat",
    "pvm_mytid",       "pvm_newcontext", "pvm_notify",     "pvm_nrecv",       "pvm_packf",       "pvm_parent",
    "pvm_perror",      "pvm_pkbyte",     "pvm_pkcplx",     "pvm_pkdcplx",     "pvm_pkdouble",    "pvm_pkfloat",
    "pvm_pkint",       "pvm_pklong",     "pvm_pkmesg",     "pvm_pkmesgbody",  "pvm_pkshort",     "pvm_pkstr",
    "pvm_pkuint",      "pvm_pkulong",    "pvm_pkushort",   "pvm_precv",       "pvm_probe",       "pvm_psend",
    "pvm_pstat",       "pvm_putinfo",    "pvm_recv",       "pvm_recvf",       "pvm_recvinfo",    "pvm_reduce",
    "pvm_reg_hoster",  "pvm_reg_rm",     "pvm_reg_tasker", "pvm_reg_tracer",  "pvm_scatter",     "pvm_send",
    "pvm_sendsig",     "pvm_setcontext", "pvm_setminfo",   "pvm_setmwid",     "pvm_setopt",      "pvm_setrbuf",
    "pvm_setsbuf",     "pvm_settmask",   "pvm_siblings",   "pvm_spawn",       "pvm_start_pvmd",  "pvm_strerror",
    "pvm_tasks",       "pvm_tickle",     "pvm_tidtohost",  "pvm_trecv",       "pvm_unexport",    "pvm_unpackf",
    "pvm_upkbyte",     "pvm_upkcplx",    "pvm_upkdcplx",   "pvm_upkdouble",   "pvm_upkfloat",    "pvm_upkint",
    "pvm_upklong",     "pvm_upkmesg",    "pvm_upkshort",   "pvm_upkstr",      "pvm_upkuint",     "pvm_upkulong",
    "pvm_upkushort",   "pvm_version",
};

}  // namespace pvm
