// packf.h - the printf-like format engine behind pvm_packf and pvm_unpackf.
//
// Format grammar (PVM 3.4):
//   format : { text | '%' '+' | '%' count stride modifiers fchar }
//   count : empty | [0-9]+ | '*'          stride : empty | '.' ( [0-9]+ | '*' )
//   modifiers : { 'h' | 'l' | 'u' }       fchar : 'c' | 'd' | 'f' | 'x' | 's'
// 'c' bytes, 'd' int ('h' short, 'l' long, 'u' unsigned), 'f' float ('l' double),
// 'x' float complex ('l' double complex), 's' string. A '*' count or stride takes an int
// argument, before the data argument. Text outside conversions is ignored, as in PVM, so
// "%d %d" and "%d,%d" mean the same.
#pragma once

#include <cstdarg>
#include <functional>
#include <optional>

#include "message_buffer.h"

namespace pvm {

/// SendBufferSource gives the buffer pvm_packf packs into. Called with an encoding for
/// "%+" it does pvm_initsend(encoding) and returns the new buffer; called with nullopt it
/// returns the active send buffer, or throws Error(PvmNoBuf) when there is none.
using SendBufferSource = std::function<MessageBuffer&(std::optional<int> initsendEncoding)>;

/// packFormatted packs the arguments in ap as fmt describes (pvm_packf).
///
/// Without a count or stride a conversion takes its value itself, after C's default
/// promotions: %c %hd %hud take an int, %d int, %ud unsigned, %ld long, %lud unsigned long,
/// %f and %lf a double (%f packs it as a float), %s a char*. With a count or stride it takes
/// a pointer to the items. %x and %lx always take a pointer (to 2 floats / 2 doubles), as C
/// cannot pass a complex through "..." portably; %s with a count packs one string. "%+"
/// takes the int encoding for initsend. Values passed by value are copied even with
/// PvmDataInPlace. The buffer is only asked for when the first item is packed, so an empty
/// format needs none. Throws Error: PvmBadParam for a malformed format or a null fmt, or
/// whatever packing or sendBuffer throws; items before the failing one stay packed.
void packFormatted(const char* fmt, va_list ap, const SendBufferSource& sendBuffer);

/// unpackFormatted unpacks from buffer into the arguments in ap as fmt describes
/// (pvm_unpackf). Every conversion takes a pointer (count 1, stride 1 when not given);
/// "%+" takes an int that is ignored, so one format can serve both directions.
/// Throws Error: PvmBadParam for a malformed format or a null fmt, PvmNoData at the end
/// of the message; items before the failing one stay unpacked.
void unpackFormatted(const char* fmt, va_list ap, MessageBuffer& buffer);

}  // namespace pvm
