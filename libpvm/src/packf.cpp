// packf.cpp - parsing pvm_packf / pvm_unpackf formats and moving the arguments.
#include "packf.h"

#include <climits>
#include <string>

#include "errors.h"
#include "pvm3.h"

namespace pvm {

namespace {

// VaArgs holds a private copy of the caller's va_list: helpers can take it by reference
// (a va_list parameter may have decayed to a pointer), and va_end runs on every exit.
struct VaArgs {
    va_list ap;
    explicit VaArgs(va_list from) { va_copy(ap, from); }
    ~VaArgs() { va_end(ap); }
    VaArgs(const VaArgs&) = delete;
    VaArgs& operator=(const VaArgs&) = delete;
};

// Conversion is one parsed '%' directive with its '*' arguments already taken.
struct Conversion {
    bool initsend = false;
    bool byAddress = false;  // a count or stride was given
    int count = 1;
    int stride = 1;
    DataType type = DataType::Int;
};

// badFormat throws PvmBadParam naming the format and where in it parsing failed.
[[noreturn]] void badFormat(const char* fmt, const char* at, const char* why) {
    throw Error(PvmBadParam, std::string("format \"") + fmt + "\" at offset " + std::to_string(at - fmt) + ": " + why);
}

// isDigit is isdigit without the locale and the negative-char pitfall.
bool isDigit(char c) { return c >= '0' && c <= '9'; }

// parseNumber reads a decimal count or stride; one beyond INT_MAX is a bad format.
int parseNumber(const char* fmt, const char*& p) {
    long long n = 0;
    while (isDigit(*p)) {
        n = n * 10 + (*p - '0');
        if (n > INT_MAX) badFormat(fmt, p, "number too large");
        ++p;
    }
    return static_cast<int>(n);
}

// typeOf maps a conversion character and its modifiers to the type packed; a modifier
// that means nothing for the conversion ("%hf", "%ls") is a bad format.
DataType typeOf(const char* fmt, const char* at, char fchar, bool h, bool l, bool u) {
    switch (fchar) {
        case 'c':
            if (h || l) break;
            return DataType::Byte;
        case 'd':
            if (h && l) break;
            if (h) return u ? DataType::UShort : DataType::Short;
            if (l) return u ? DataType::ULong : DataType::Long;
            return u ? DataType::UInt : DataType::Int;
        case 'f':
            if (h || u) break;
            return l ? DataType::Double : DataType::Float;
        case 'x':
            if (h || u) break;
            return l ? DataType::DoubleComplex : DataType::Complex;
        case 's':
            if (h || l || u) break;
            return DataType::String;
        case '\0':
            badFormat(fmt, at, "conversion without a type character");
        default:
            badFormat(fmt, at, "unknown conversion character");
    }
    badFormat(fmt, at, "modifier does not apply to this conversion");
}

// parseConversion reads one directive starting just after its '%', taking the int
// arguments of '*' counts and strides from args in order.
Conversion parseConversion(const char* fmt, const char*& p, VaArgs& args) {
    Conversion c;
    if (*p == '+') {
        ++p;
        c.initsend = true;
        return c;
    }
    if (*p == '*') {
        ++p;
        c.count = va_arg(args.ap, int);
        c.byAddress = true;
    } else if (isDigit(*p)) {
        c.count = parseNumber(fmt, p);
        c.byAddress = true;
    }
    if (*p == '.') {
        ++p;
        if (*p == '*') {
            ++p;
            c.stride = va_arg(args.ap, int);
        } else if (isDigit(*p)) {
            c.stride = parseNumber(fmt, p);
        } else {
            badFormat(fmt, p, "'.' without a stride");
        }
        c.byAddress = true;
    }
    bool h = false, l = false, u = false;
    for (;; ++p) {
        if (*p == 'h') {
            h = true;
        } else if (*p == 'l') {
            l = true;
        } else if (*p == 'u') {
            u = true;
        } else {
            break;
        }
    }
    c.type = typeOf(fmt, p, *p, h, l, u);
    ++p;
    return c;
}

// packValue packs one item passed by value; C promoted char and short to int and float
// to double, so those are narrowed back here.
void packValue(MessageBuffer& buffer, DataType type, VaArgs& args) {
    switch (type) {
        case DataType::Byte: {
            auto v = static_cast<unsigned char>(va_arg(args.ap, int));
            buffer.packCopied(type, &v, 1, 1);
            return;
        }
        case DataType::Short: {
            auto v = static_cast<short>(va_arg(args.ap, int));
            buffer.packCopied(type, &v, 1, 1);
            return;
        }
        case DataType::UShort: {
            auto v = static_cast<unsigned short>(va_arg(args.ap, int));
            buffer.packCopied(type, &v, 1, 1);
            return;
        }
        case DataType::Int: {
            int v = va_arg(args.ap, int);
            buffer.packCopied(type, &v, 1, 1);
            return;
        }
        case DataType::UInt: {
            unsigned v = va_arg(args.ap, unsigned);
            buffer.packCopied(type, &v, 1, 1);
            return;
        }
        case DataType::Long: {
            long v = va_arg(args.ap, long);
            buffer.packCopied(type, &v, 1, 1);
            return;
        }
        case DataType::ULong: {
            unsigned long v = va_arg(args.ap, unsigned long);
            buffer.packCopied(type, &v, 1, 1);
            return;
        }
        case DataType::Float: {
            auto v = static_cast<float>(va_arg(args.ap, double));
            buffer.packCopied(type, &v, 1, 1);
            return;
        }
        case DataType::Double: {
            double v = va_arg(args.ap, double);
            buffer.packCopied(type, &v, 1, 1);
            return;
        }
        case DataType::Complex:
        case DataType::DoubleComplex:
            buffer.pack(type, va_arg(args.ap, const void*), 1, 1);
            return;
        case DataType::String:
            buffer.packString(va_arg(args.ap, const char*));
            return;
    }
}

}  // namespace

void packFormatted(const char* fmt, va_list ap, const SendBufferSource& sendBuffer) {
    PVM_REQUIRE(fmt != nullptr, PvmBadParam, "pvm_packf: null format");
    VaArgs args(ap);
    MessageBuffer* buffer = nullptr;  // asked for lazily: "%+" may come first
    for (const char* p = fmt; *p;) {
        if (*p++ != '%') continue;
        Conversion c = parseConversion(fmt, p, args);
        if (c.initsend) {
            buffer = &sendBuffer(va_arg(args.ap, int));
            continue;
        }
        if (!buffer) buffer = &sendBuffer(std::nullopt);
        if (c.type == DataType::String) {
            // A count means nothing for a string; PVM packs the one string.
            buffer->packString(va_arg(args.ap, const char*));
        } else if (c.byAddress) {
            buffer->pack(c.type, va_arg(args.ap, const void*), c.count, c.stride);
        } else {
            packValue(*buffer, c.type, args);
        }
    }
}

void unpackFormatted(const char* fmt, va_list ap, MessageBuffer& buffer) {
    PVM_REQUIRE(fmt != nullptr, PvmBadParam, "pvm_unpackf: null format");
    VaArgs args(ap);
    for (const char* p = fmt; *p;) {
        if (*p++ != '%') continue;
        Conversion c = parseConversion(fmt, p, args);
        if (c.initsend) {
            (void)va_arg(args.ap, int);
        } else if (c.type == DataType::String) {
            buffer.unpackString(va_arg(args.ap, char*));
        } else {
            buffer.unpack(c.type, va_arg(args.ap, void*), c.count, c.stride);
        }
    }
}

}  // namespace pvm
