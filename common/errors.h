// errors.h - PVM error codes inside the C++ core.
#pragma once

#include <stdexcept>
#include <string>

namespace pvm {

/// Error is thrown inside the core and turned into its PVM code (PvmBadParam...) at the C boundary.
class Error : public std::runtime_error {
public:
    Error(int code, const std::string& context);
    /// code is the negative PVM error code, e.g. PvmNoData.
    int code() const noexcept { return code_; }

private:
    int code_;
};

/// errorName gives the symbolic name of a PVM code ("PvmBadParam"), or "PvmUnknownError".
const char* errorName(int code) noexcept;
/// errorText gives a short human text for a PVM code ("Bad parameter").
const char* errorText(int code) noexcept;
/// knownError is true for a code PVM 3.4.6 gives a meaning (PvmOk included).
bool knownError(int code) noexcept;

/// PVM_REQUIRE throws pvm::Error(code, message) when cond is false.
#define PVM_REQUIRE(cond, code, message)                    \
    do {                                                    \
        if (!(cond)) throw ::pvm::Error((code), (message)); \
    } while (0)

}  // namespace pvm
