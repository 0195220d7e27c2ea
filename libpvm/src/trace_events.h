// trace_events.h - the calls tracing knows, indexed by pvmtev.h's TEV_ numbers (PVM 3.4's,
// then this implementation's additions from 109). Null entries are PVM's events that are not
// calls (TEV_NEWTASK, TEV_TIMING...). TEV_GETINFO is pvm_recvinfo, as in PVM.
#pragma once

namespace pvm {

constexpr const char* kTraceEvents[] = {
    "pvm_addhosts",   "pvm_barrier",     "pvm_bcast",       "pvm_bufinfo",     "pvm_config",   "pvm_delete",
    "pvm_delhosts",   "pvm_exit",        "pvm_freebuf",     "pvm_getfds",      "pvm_getinst",  "pvm_getopt",
    "pvm_getrbuf",    "pvm_getsbuf",     "pvm_gettid",      "pvm_gsize",       "pvm_halt",     "pvm_initsend",
    "pvm_insert",     "pvm_joingroup",   "pvm_kill",        "pvm_lookup",      "pvm_lvgroup",  "pvm_mcast",
    "pvm_mkbuf",      "pvm_mstat",       "pvm_mytid",       "pvm_notify",      "pvm_nrecv",    "pvm_parent",
    "pvm_perror",     "pvm_pkbyte",      "pvm_pkcplx",      "pvm_pkdcplx",     "pvm_pkdouble", "pvm_pkfloat",
    "pvm_pkint",      "pvm_pkuint",      "pvm_pklong",      "pvm_pkulong",     "pvm_pkshort",  "pvm_pkushort",
    "pvm_pkstr",      "pvm_probe",       "pvm_pstat",       "pvm_recv",        "pvm_recvf",    "pvm_send",
    "pvm_sendsig",    "pvm_setopt",      "pvm_setrbuf",     "pvm_setsbuf",     "pvm_spawn",    "pvm_start_pvmd",
    "pvm_tasks",      "pvm_tickle",      "pvm_tidtohost",   "pvm_trecv",       "pvm_upkbyte",  "pvm_upkcplx",
    "pvm_upkdcplx",   "pvm_upkdouble",   "pvm_upkfloat",    "pvm_upkint",      "pvm_upkuint",  "pvm_upklong",
    "pvm_upkulong",   "pvm_upkshort",    "pvm_upkushort",   "pvm_upkstr",      "pvm_version",  "pvm_reg_hoster",
    "pvm_reg_rm",     "pvm_reg_tasker",  "pvm_reg_tracer",  nullptr,           nullptr,        nullptr,
    "pvm_archcode",   "pvm_catchout",    "pvm_getmwid",     "pvm_gettmask",    "pvm_hostsync", "pvm_packf",
    "pvm_precv",      "pvm_psend",       "pvm_reduce",      "pvm_setmwid",     "pvm_settmask", "pvm_unpackf",
    "pvm_gather",     "pvm_scatter",     "pvm_putinfo",     "pvm_recvinfo",    "pvm_delinfo",  "pvm_getmboxinfo",
    "pvm_newcontext", "pvm_freecontext", "pvm_setcontext",  "pvm_getcontext",  "pvm_siblings", "pvm_getminfo",
    "pvm_setminfo",   "pvm_addmhf",      "pvm_delmhf",      nullptr,           nullptr,        nullptr,
    nullptr,          "pvm_export",      "pvm_unexport",    "pvm_getnoresets", "pvm_pkmesg",   "pvm_pkmesgbody",
    "pvm_upkmesg",    "pvm_strerror",    "pvm_freezegroup",
};

/// traceEventShortName is the call of event without "pvm_" (pvmtevinfo's names), or null.
inline const char* traceEventShortName(int event) {
    if (event < 0 || event >= static_cast<int>(sizeof kTraceEvents / sizeof kTraceEvents[0]) || !kTraceEvents[event])
        return nullptr;
    return kTraceEvents[event] + 4;
}

}  // namespace pvm
