// Text helpers for UTF-8 strings: validation, case folding for matching,
// terminal display width. Depends on utf8proc only; knows nothing of the
// domain.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace setevoe::util {

// True when s is well-formed UTF-8.
bool valid_utf8(std::string_view s);

// NFKC-normalised, case-folded form of s for comparisons ("Ё" and "е" are
// not merged here; search does that). Invalid UTF-8 is returned unchanged.
std::string fold(std::string_view s);

// s without leading and trailing ASCII white space.
std::string_view trim(std::string_view s);

// The number of terminal columns s takes (wide characters count two).
std::size_t display_width(std::string_view s);

// The longest prefix of s that fits in `width` columns, with "…" appended
// when something was cut off.
std::string fit_width(std::string_view s, std::size_t width);

// s split at every `sep`, each piece trimmed; empty pieces dropped.
std::vector<std::string> split_list(std::string_view s, char sep);

// Lower-case ASCII copy of s (non-ASCII bytes unchanged).
std::string ascii_lower(std::string_view s);

// Edit distance between two strings, for "did you mean" hints.
std::size_t edit_distance(std::string_view a, std::string_view b);

// s as XML character data or an attribute value: & < > " ' escaped, what
// XML 1.0 forbids dropped (controls other than tab, LF and CR; U+FFFE,
// U+FFFF), a byte that is not UTF-8 replaced by U+FFFD. For the office
// formats, HTML and SVG.
void xml_escape_into(std::string& out, std::string_view s);
std::string xml_escape(std::string_view s);

}  // namespace setevoe::util
