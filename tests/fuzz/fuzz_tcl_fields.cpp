// fuzz_tcl_fields.cpp - the Tcl package's typed fields (tcl-binding/src/typed_fields.cpp): the
// words of `pvm send` ("-int {1 2} -string s 42 hello") packed into a body by packFields, and
// the types of `pvm recv -types` ("int:2 string int string") read back by unpackFields, with
// no PVM task: the body is a MessageBuffer in memory, received as a task receives it.
//
// Input: FIELDS [NUL TYPES [NUL TAIL]]. FIELDS is a Tcl list, the words after send's tag;
// TYPES a Tcl list of types; TAIL raw bytes packed after the fields, for a body no Tcl script
// would send (a C task's, or a hostile one's). A Tcl error is the package's answer to bad
// fields; only a crash or a sanitizer report is a finding.
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "errors.h"
#include "message_buffer.h"
#include "pvm3.h"
#include "typed_fields.h"

namespace {
Tcl_Interp* gInterp = nullptr;
Tcl_Encoding gUtf8 = nullptr;

/// tclString makes a Tcl string of bytes, decoded as Tcl decodes a script it reads, so the
/// parsers get what a script could give them.
Tcl_Obj* tclString(const char* bytes, std::size_t size) {
    Tcl_DString text;
    Tcl_ExternalToUtfDString(gUtf8, bytes, static_cast<int>(size), &text);
    Tcl_Obj* obj = Tcl_NewStringObj(Tcl_DStringValue(&text), Tcl_DStringLength(&text));
    Tcl_DStringFree(&text);
    Tcl_IncrRefCount(obj);
    return obj;
}

/// roundTrip packs fields, then unpacks types from what a receiver of that body gets.
void roundTrip(Tcl_Obj* fields, Tcl_Obj* types, const char* tail, std::size_t tailSize) {
    int objc = 0;
    Tcl_Obj** objv = nullptr;
    if (Tcl_ListObjGetElements(gInterp, fields, &objc, &objv) != TCL_OK) return;
    pvm::MessageBuffer sent(PvmDataDefault);  // what the commands pack with (ScratchBuffer)
    if (!pvm::tcl::packFields(gInterp, sent, 0, objc, objv) || !types) return;
    if (tailSize > 0) sent.packBytes(tail, tailSize);
    pvm::MessageBuffer received = pvm::MessageBuffer::fromSegments(PvmDataDefault, sent.segments());
    Tcl_Obj* values = nullptr;
    if (!pvm::tcl::unpackFields(gInterp, received, types, &values)) return;
    Tcl_IncrRefCount(values);
    (void)Tcl_GetString(values);  // as a script that prints them
    Tcl_DecrRefCount(values);
}
}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char*** argv) {
    Tcl_FindExecutable((*argv)[0]);
    gInterp = Tcl_CreateInterp();
    gUtf8 = Tcl_GetEncoding(nullptr, "utf-8");
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const char* text = reinterpret_cast<const char*>(data);
    const char* end = text + size;
    auto cut = [end](const char* from) {
        const void* nul = std::memchr(from, '\0', static_cast<std::size_t>(end - from));
        return nul ? static_cast<const char*>(nul) : end;
    };
    const char* fieldsEnd = cut(text);
    Tcl_Obj* fields = tclString(text, static_cast<std::size_t>(fieldsEnd - text));
    Tcl_Obj* types = nullptr;
    const char* tail = end;
    if (fieldsEnd < end) {
        const char* typesEnd = cut(fieldsEnd + 1);
        types = tclString(fieldsEnd + 1, static_cast<std::size_t>(typesEnd - fieldsEnd - 1));
        if (typesEnd < end) tail = typesEnd + 1;
    }
    try {
        roundTrip(fields, types, tail, static_cast<std::size_t>(end - tail));
    } catch (const pvm::Error&) {
        // the commands report it (guarded in tcl_pvm.h)
    }
    Tcl_DecrRefCount(fields);
    if (types) Tcl_DecrRefCount(types);
    Tcl_ResetResult(gInterp);
    return 0;
}
