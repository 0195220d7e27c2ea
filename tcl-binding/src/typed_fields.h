// typed_fields.h - the typed fields of the Tcl package's messages: the words of pvm send,
// mcast, bcast and putinfo ("-int {1 2} -string s 42 hello") packed into a message body, and
// the types of recv -types and of a handle's unpack ("int string double:3 bytes:10") read
// back from one. Apart from the commands, it needs a MessageBuffer and no PVM task, so
// tests/fuzz/fuzz_tcl_fields.cpp feeds it directly.
#pragma once

#include <string>

#include "message_buffer.h"

#include <tcl.h>

namespace pvm::tcl {

/// FieldType is one type a field can be packed or unpacked as.
struct FieldType {
    const char* name;
    DataType type;
};

/// packFields packs objv[first..] ("-int {1 2} -string s 42 hello") into body; false, with
/// the error in interp, for an unknown type, a type without its value or a bad number.
bool packFields(Tcl_Interp* interp, MessageBuffer& body, int first, int objc, Tcl_Obj* const objv[]);

/// parseType reads "int", "int:3" or "bytes:10"; false, with the error in interp, for
/// anything else.
bool parseType(Tcl_Interp* interp, const std::string& spec, const FieldType** type, int* count);

/// unpackOne reads count fields of type; a single number or string is returned bare.
/// Throws Error (PvmNoData) when the body ends first.
Tcl_Obj* unpackOne(MessageBuffer& body, DataType type, int count);

/// unpackFields reads the fields named by types ("int string double:3 bytes:10") from body
/// into a list; false, with the error in interp, for a bad type or a body that ends first.
bool unpackFields(Tcl_Interp* interp, MessageBuffer& body, Tcl_Obj* types, Tcl_Obj** values);

}  // namespace pvm::tcl
