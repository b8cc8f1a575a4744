// Text helpers for UTF-8 strings.
#include "core/util/text.hpp"

#include <utf8proc.h>

#include <algorithm>
#include <cstdlib>
#include <memory>

namespace setevoe::util {

bool valid_utf8(std::string_view s) {
  auto p = reinterpret_cast<const utf8proc_uint8_t*>(s.data());
  utf8proc_ssize_t left = static_cast<utf8proc_ssize_t>(s.size());
  while (left > 0) {
    utf8proc_int32_t cp;
    auto n = utf8proc_iterate(p, left, &cp);
    if (n <= 0 || cp < 0) return false;
    p += n;
    left -= n;
  }
  return true;
}

std::string fold(std::string_view s) {
  utf8proc_uint8_t* out = nullptr;
  auto n = utf8proc_map(
      reinterpret_cast<const utf8proc_uint8_t*>(s.data()), static_cast<utf8proc_ssize_t>(s.size()), &out,
      static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD));
  if (n < 0) return std::string(s);
  std::unique_ptr<utf8proc_uint8_t, decltype(&std::free)> guard(out, &std::free);
  return std::string(reinterpret_cast<char*>(out), static_cast<std::size_t>(n));
}

std::string_view trim(std::string_view s) {
  auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

namespace {
// Calls f(codepoint, byte offset, byte length) for each code point.
template <typename F>
void each_codepoint(std::string_view s, F&& f) {
  auto p = reinterpret_cast<const utf8proc_uint8_t*>(s.data());
  utf8proc_ssize_t left = static_cast<utf8proc_ssize_t>(s.size());
  std::size_t offset = 0;
  while (left > 0) {
    utf8proc_int32_t cp;
    utf8proc_ssize_t n;
    // ASCII and two-byte sequences (Cyrillic) decoded here: a table of a
    // year's plan measures hundreds of thousands of cells.
    if (p[0] < 0x80) {
      cp = p[0];
      n = 1;
    } else if (p[0] >= 0xC2 && p[0] < 0xE0 && left >= 2 && (p[1] & 0xC0) == 0x80) {
      cp = ((p[0] & 0x1F) << 6) | (p[1] & 0x3F);
      n = 2;
    } else {
      n = utf8proc_iterate(p, left, &cp);
      if (n <= 0) {
        cp = 0xFFFD;
        n = 1;
      }
    }
    if (!f(cp, offset, static_cast<std::size_t>(n))) return;
    p += n;
    left -= n;
    offset += static_cast<std::size_t>(n);
  }
}
}  // namespace

namespace {

// The columns of a character: Latin and Cyrillic letters (nearly all that
// tables show) without asking utf8proc.
int char_width(utf8proc_int32_t cp) {
  if ((cp >= 0x20 && cp < 0x7F) || (cp >= 0x400 && cp < 0x483) || (cp >= 0x48A && cp < 0x530)) return 1;
  return std::max(utf8proc_charwidth(cp), 0);
}

}  // namespace

std::size_t display_width(std::string_view s) {
  // The loop of each_codepoint, by hand: tables measure every cell.
  std::size_t width = 0;
  auto p = reinterpret_cast<const unsigned char*>(s.data());
  const auto* end = p + s.size();
  while (p != end) {
    if (*p < 0x80) {
      width += *p >= 0x20 && *p != 0x7F;
      ++p;
      continue;
    }
    utf8proc_int32_t cp;
    utf8proc_ssize_t n;
    if (*p >= 0xC2 && *p < 0xE0 && end - p >= 2 && (p[1] & 0xC0) == 0x80) {
      cp = ((p[0] & 0x1F) << 6) | (p[1] & 0x3F);
      n = 2;
    } else {
      n = utf8proc_iterate(p, end - p, &cp);
      if (n <= 0) {
        cp = 0xFFFD;
        n = 1;
      }
    }
    width += static_cast<std::size_t>(char_width(cp));
    p += n;
  }
  return width;
}

std::string fit_width(std::string_view s, std::size_t width) {
  if (display_width(s) <= width) return std::string(s);
  if (width == 0) return {};
  std::size_t used = 0, end = 0;
  each_codepoint(s, [&](utf8proc_int32_t cp, std::size_t offset, std::size_t len) {
    auto w = static_cast<std::size_t>(char_width(cp));
    if (used + w > width - 1) return false;
    used += w;
    end = offset + len;
    return true;
  });
  return std::string(s.substr(0, end)) + "…";
}

std::vector<std::string> split_list(std::string_view s, char sep) {
  std::vector<std::string> out;
  while (true) {
    auto pos = s.find(sep);
    auto piece = trim(s.substr(0, pos));
    if (!piece.empty()) out.emplace_back(piece);
    if (pos == std::string_view::npos) break;
    s.remove_prefix(pos + 1);
  }
  return out;
}

std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j)
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

// Appends s as XML character data or an attribute value: & < > " ' escaped,
// what XML 1.0 forbids dropped (controls other than tab, LF and CR; U+FFFE,
// U+FFFF), and a byte that is not UTF-8 replaced by U+FFFD, so that no
// office suite refuses the file over one bad value.
void xml_escape_into(std::string& out, std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      switch (c) {
        case '&':
          out += "&amp;";
          break;
        case '<':
          out += "&lt;";
          break;
        case '>':
          out += "&gt;";
          break;
        case '"':
          out += "&quot;";
          break;
        case '\'':
          out += "&apos;";
          break;
        default:
          if (c >= 0x20 || c == '\t' || c == '\n' || c == '\r') out += static_cast<char>(c);
      }
      ++i;
      continue;
    }
    utf8proc_int32_t cp = 0;
    auto n = utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(s.data() + i),
                              static_cast<utf8proc_ssize_t>(s.size() - i), &cp);
    if (n <= 0) {
      out += "\xEF\xBF\xBD";
      ++i;
      continue;
    }
    if (cp != 0xFFFE && cp != 0xFFFF) out.append(s.data() + i, static_cast<std::size_t>(n));
    i += static_cast<std::size_t>(n);
  }
}

std::string xml_escape(std::string_view s) {
  std::string out;
  xml_escape_into(out, s);
  return out;
}

}  // namespace setevoe::util
