// request_defaults.h - a request of each kind with its fields at their defaults, for the
// tests and fuzz seeds that go over every request type the daemon knows.
#pragma once

#include <capnp/dynamic.h>

#include "pvm.capnp.h"

namespace pvm::test {

/// setDefault makes field, a member of Request's union, the request's kind, its own fields
/// left at their defaults (empty lists and texts, zeros).
inline void setDefault(wire::Request::Builder request, capnp::StructSchema::Field field) {
    capnp::DynamicStruct::Builder dynamic = request;
    auto type = field.getType();
    if (type.isStruct())
        dynamic.init(field);
    else if (type.isList())
        dynamic.init(field, 0);
    else if (type.isText())
        dynamic.set(field, "");
    else if (type.isVoid())
        dynamic.set(field, capnp::VOID);
    else
        dynamic.set(field, 0);
}

}  // namespace pvm::test
