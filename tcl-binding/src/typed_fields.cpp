// typed_fields.cpp - the typed fields of the Tcl package's messages, packed into and read
// from a message body.
#include "typed_fields.h"

#include <cstdint>
#include <cstring>

#include "errors.h"
#include "pvm3.h"
#include "tcl_errors.h"

namespace pvm::tcl {

namespace {
constexpr FieldType kTypes[] = {{"int", DataType::Int},     {"short", DataType::Short},   {"long", DataType::Long},
                                {"float", DataType::Float}, {"double", DataType::Double}, {"string", DataType::String},
                                {"bytes", DataType::Byte}};

const FieldType* typeNamed(const std::string& name) {
    for (const auto& t : kTypes)
        if (name == t.name) return &t;
    return nullptr;
}

/// packNumbers packs the elements of list as numbers of type.
bool packNumbers(Tcl_Interp* interp, MessageBuffer& body, DataType type, Tcl_Obj* list) {
    int n = 0;
    Tcl_Obj** items = nullptr;
    if (Tcl_ListObjGetElements(interp, list, &n, &items) != TCL_OK) return false;
    for (int i = 0; i < n; ++i) {
        Tcl_WideInt w = 0;
        double d = 0;
        bool integral = type != DataType::Float && type != DataType::Double;
        if (integral ? Tcl_GetWideIntFromObj(interp, items[i], &w) != TCL_OK
                     : Tcl_GetDoubleFromObj(interp, items[i], &d) != TCL_OK) {
            Tcl_SetErrorCode(interp, "PVM", "PvmBadParam", "-2", nullptr);
            return false;
        }
        if (type == DataType::Short) {
            auto v = static_cast<short>(w);
            body.pack(type, &v, 1, 1);
        } else if (type == DataType::Int) {
            auto v = static_cast<int>(w);
            body.pack(type, &v, 1, 1);
        } else if (type == DataType::Long) {
            auto v = static_cast<long>(w);
            body.pack(type, &v, 1, 1);
        } else if (type == DataType::Float) {
            auto v = static_cast<float>(d);
            body.pack(type, &v, 1, 1);
        } else {
            body.pack(type, &d, 1, 1);
        }
    }
    return true;
}

/// packValue packs an untyped argument: an integer as int (long if it does not fit), a
/// number as double, anything else as a string.
void packValue(MessageBuffer& body, Tcl_Obj* value) {
    Tcl_WideInt w = 0;
    double d = 0;
    if (Tcl_GetWideIntFromObj(nullptr, value, &w) == TCL_OK) {
        if (w >= INT32_MIN && w <= INT32_MAX) {
            auto v = static_cast<int>(w);
            body.pack(DataType::Int, &v, 1, 1);
        } else {
            auto v = static_cast<long>(w);
            body.pack(DataType::Long, &v, 1, 1);
        }
    } else if (Tcl_GetDoubleFromObj(nullptr, value, &d) == TCL_OK) {
        body.pack(DataType::Double, &d, 1, 1);
    } else {
        body.packString(Tcl_GetString(value));
    }
}

/// unpacked reads one value of type into a T.
template <typename T>
T unpacked(MessageBuffer& body, DataType type) {
    T x;
    body.unpack(type, &x, 1, 1);
    return x;
}

/// unpackItem reads one field of type (not bytes) as a new Tcl value.
Tcl_Obj* unpackItem(MessageBuffer& body, DataType type) {
    switch (type) {
        case DataType::String:
            return Tcl_NewStringObj(body.unpackString().c_str(), -1);
        case DataType::Short:
            return Tcl_NewIntObj(unpacked<short>(body, type));
        case DataType::Int:
            return Tcl_NewIntObj(unpacked<int>(body, type));
        case DataType::Long:
            return Tcl_NewWideIntObj(unpacked<long>(body, type));
        case DataType::Float:
            return Tcl_NewDoubleObj(unpacked<float>(body, type));
        default:
            return Tcl_NewDoubleObj(unpacked<double>(body, type));
    }
}

}  // namespace

bool packFields(Tcl_Interp* interp, MessageBuffer& body, int first, int objc, Tcl_Obj* const objv[]) {
    bool options = true;
    for (int i = first; i < objc; ++i) {
        const char* word = Tcl_GetString(objv[i]);
        Tcl_WideInt ignored;
        double ignoredD;
        bool isOption = options && word[0] == '-' && Tcl_GetWideIntFromObj(nullptr, objv[i], &ignored) != TCL_OK &&
                        Tcl_GetDoubleFromObj(nullptr, objv[i], &ignoredD) != TCL_OK;
        if (!isOption) {
            packValue(body, objv[i]);
            continue;
        }
        if (std::strcmp(word, "--") == 0) {
            options = false;
            continue;
        }
        const FieldType* t = typeNamed(word + 1);
        if (!t) {
            usage(interp, std::string("unknown field type \"") + word +
                              "\": should be -int, -short, -long, -float, -double, -string or -bytes");
            return false;
        }
        if (i + 1 >= objc) {
            usage(interp, std::string(word) + " needs a value");
            return false;
        }
        Tcl_Obj* value = objv[++i];
        if (t->type == DataType::String) {
            body.packString(Tcl_GetString(value));
        } else if (t->type == DataType::Byte) {
            int n = 0;
            unsigned char* bytes = Tcl_GetByteArrayFromObj(value, &n);
            body.pack(DataType::Byte, bytes, n, 1);
        } else if (!packNumbers(interp, body, t->type, value)) {
            return false;
        }
    }
    return true;
}

Tcl_Obj* unpackOne(MessageBuffer& body, DataType type, int count) {
    if (type == DataType::Byte) {
        // What is not in the message is refused before it is allocated (bytes 2000000000).
        PVM_REQUIRE(static_cast<std::size_t>(count) <= body.remaining(), PvmNoData,
                    std::to_string(count) + " bytes asked, " + std::to_string(body.remaining()) + " left");
        std::string bytes(static_cast<std::size_t>(count), '\0');
        body.unpack(DataType::Byte, bytes.data(), count, 1);
        return Tcl_NewByteArrayObj(reinterpret_cast<const unsigned char*>(bytes.data()), count);
    }
    if (count == 1) return unpackItem(body, type);
    Tcl_Obj* list = Tcl_NewListObj(0, nullptr);
    try {
        for (int i = 0; i < count; ++i) Tcl_ListObjAppendElement(nullptr, list, unpackItem(body, type));
    } catch (...) {
        // The body ended halfway: the values read so far go with their list.
        Tcl_IncrRefCount(list);
        Tcl_DecrRefCount(list);
        throw;
    }
    return list;
}

bool parseType(Tcl_Interp* interp, const std::string& spec, const FieldType** type, int* count) {
    std::string name = spec.substr(0, spec.find(':'));
    *type = typeNamed(name);
    *count = 1;
    if (spec.find(':') != std::string::npos) {
        char* end = nullptr;
        long n = std::strtol(spec.c_str() + spec.find(':') + 1, &end, 10);
        if (*end || n < 1 || n > (1 << 28)) *type = nullptr;
        *count = static_cast<int>(n);
    }
    if (!*type) {
        usage(interp, "bad field type \"" + spec +
                          "\": should be int, short, long, float, double, string or bytes, with an optional :count");
        return false;
    }
    return true;
}

bool unpackFields(Tcl_Interp* interp, MessageBuffer& body, Tcl_Obj* types, Tcl_Obj** values) {
    int n = 0;
    Tcl_Obj** items = nullptr;
    if (Tcl_ListObjGetElements(interp, types, &n, &items) != TCL_OK) return false;
    Tcl_Obj* list = Tcl_NewListObj(0, nullptr);
    for (int i = 0; i < n; ++i) {
        const FieldType* type = nullptr;
        int count = 1;
        if (!parseType(interp, Tcl_GetString(items[i]), &type, &count)) {
            Tcl_IncrRefCount(list);
            Tcl_DecrRefCount(list);
            return false;
        }
        try {
            Tcl_ListObjAppendElement(nullptr, list, unpackOne(body, type->type, count));
        } catch (const Error& e) {
            Tcl_IncrRefCount(list);
            Tcl_DecrRefCount(list);
            fail(interp, "unpack", e);
            return false;
        }
    }
    *values = list;
    return true;
}

}  // namespace pvm::tcl
