// Plain text of attached documents.
//
// Everything is streamed: a file or a zip part is read in chunks of 64 KiB
// and each chunk goes through a decoder and, for markup, a tokenizer that
// keep their state between chunks, into TextOut, which holds at most
// `limit` bytes. Memory is therefore bounded by the limit, not by the file,
// whatever the file declares or expands to.
#include "core/extract.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zip.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <memory>
#include <optional>
#include <thread>
#include <utility>
#include <vector>

#include "core/i18n.hpp"

namespace setevoe::core {
namespace fs = std::filesystem;

namespace {

constexpr std::size_t k_chunk = 64 << 10;

// ---- Output

// The UTF-8 form of a character (a valid one) into `out`; returns its length.
std::size_t encode_utf8(char32_t c, char* out) {
  if (c < 0x80) {
    out[0] = static_cast<char>(c);
    return 1;
  }
  if (c < 0x800) {
    out[0] = static_cast<char>(0xC0 | (c >> 6));
    out[1] = static_cast<char>(0x80 | (c & 0x3F));
    return 2;
  }
  if (c < 0x10000) {
    out[0] = static_cast<char>(0xE0 | (c >> 12));
    out[1] = static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out[2] = static_cast<char>(0x80 | (c & 0x3F));
    return 3;
  }
  out[0] = static_cast<char>(0xF0 | (c >> 18));
  out[1] = static_cast<char>(0x80 | ((c >> 12) & 0x3F));
  out[2] = static_cast<char>(0x80 | ((c >> 6) & 0x3F));
  out[3] = static_cast<char>(0x80 | (c & 0x3F));
  return 4;
}

void append_utf8(std::string& s, char32_t c) {
  char bytes[4];
  s.append(bytes, encode_utf8(c, bytes));
}

// Where the text goes, one character at a time, with the layout of
// Extracted::text applied as it comes: white space is held back as a "gap"
// (the strongest of a run wins: a line end over a tab over a space) and
// written only before the next visible character, so that runs collapse and
// nothing trails. Stops for good at the first character that does not fit.
class TextOut {
 public:
  explicit TextOut(std::size_t limit) : m_limit(limit) {}

  // Plain text (and pdftotext's output): a line end in the data ends a line
  // and a tab stays a tab. In markup both are mere white space; the markup
  // says where lines end.
  void set_plain(bool plain) { m_plain = plain; }

  void put(char32_t c) {
    if (m_full) return;
    switch (c) {
      case '\n':
      case '\r':
      case '\f':
      case '\v':
      case 0x85:
        return gap(m_plain ? Gap::line : Gap::space);
      case 0x2028:
      case 0x2029:
        return gap(Gap::line);
      case '\t':
        return gap(m_plain ? Gap::tab : Gap::space);
      case ' ':
      case 0xA0:  // no-break spaces are frequent in Russian typography ("№ 3", "г. Грозный")
      case 0x1680:
      case 0x202F:
      case 0x205F:
      case 0x3000:
        return gap(Gap::space);
      case 0xAD:    // a soft hyphen would cut a word in two for the search index
      case 0xFEFF:  // a byte order mark inside the text
      case 0xFFFE:
      case 0xFFFF:
        return;
      default:
        break;
    }
    if (c >= 0x2000 && c <= 0x200A) return gap(Gap::space);
    if (c < 0x20 || (c >= 0x7F && c < 0xA0)) return;  // control characters
    // Private use: a symbol of one font (LibreOffice's list bullets in a
    // PDF), no letter; the search index would take it for a word.
    if (c >= 0xE000 && c <= 0xF8FF) return;
    if (c > 0x10FFFF || (c >= 0xD800 && c < 0xE000)) c = 0xFFFD;
    char bytes[5];
    bool sep = m_gap != Gap::none && !m_text.empty();
    if (sep) bytes[0] = m_gap == Gap::line ? '\n' : m_gap == Gap::tab ? '\t' : ' ';
    std::size_t size = (sep ? 1 : 0) + encode_utf8(c, bytes + (sep ? 1 : 0));
    if (m_text.size() + size > m_limit) {
      m_full = true;
      return;
    }
    m_gap = Gap::none;
    m_text.append(bytes, size);
  }
  void space() { gap(Gap::space); }
  void tab() { gap(Gap::tab); }
  void line_break() { gap(Gap::line); }

  // True once a character did not fit: nothing more is taken.
  bool full() const { return m_full; }
  std::string& text() { return m_text; }

  // put() as a function object, for the decoders.
  auto putter() {
    return [this](char32_t c) { put(c); };
  }

 private:
  enum class Gap { none, space, tab, line };
  void gap(Gap g) { m_gap = std::max(m_gap, g); }

  std::string m_text;
  std::size_t m_limit;
  Gap m_gap = Gap::none;
  bool m_plain = false;
  bool m_full = false;
};

// ---- Decoding

// UTF-8 to characters, keeping an unfinished sequence between chunks. A
// malformed sequence (a stray byte, an overlong form, a surrogate, a
// sequence cut short) gives U+FFFD.
class Utf8Decoder {
 public:
  template <typename Emit>
  void feed(std::string_view bytes, Emit&& emit) {
    for (char ch : bytes) {
      auto b = static_cast<unsigned char>(ch);
      if (m_need == 0) {
        if (b < 0x80)
          emit(b);
        else
          start(b, emit);
      } else if ((b & 0xC0) != 0x80) {  // the sequence ends early: this byte starts anew
        m_need = 0;
        emit(0xFFFD);
        if (b < 0x80)
          emit(b);
        else
          start(b, emit);
      } else {
        m_cp = (m_cp << 6) | (b & 0x3F);
        if (--m_need == 0)
          emit(m_cp < m_min || (m_cp >= 0xD800 && m_cp < 0xE000) || m_cp > 0x10FFFF ? char32_t{0xFFFD} : m_cp);
      }
    }
  }
  // The input ended (or markup interrupts the text): an unfinished sequence
  // is malformed.
  template <typename Emit>
  void finish(Emit&& emit) {
    if (m_need == 0) return;
    m_need = 0;
    emit(0xFFFD);
  }

 private:
  template <typename Emit>
  void start(unsigned char b, Emit& emit) {
    if (b >= 0xC2 && b <= 0xDF) {
      m_need = 1, m_cp = b & 0x1F, m_min = 0x80;
    } else if (b >= 0xE0 && b <= 0xEF) {
      m_need = 2, m_cp = b & 0x0F, m_min = 0x800;
    } else if (b >= 0xF0 && b <= 0xF4) {
      m_need = 3, m_cp = b & 0x07, m_min = 0x10000;
    } else {
      emit(0xFFFD);
    }
  }

  int m_need = 0;
  char32_t m_cp = 0, m_min = 0;
};

// Windows-1251 from 0x80 to 0xBF (0xC0–0xFF are А–я in order; 0x98 is
// unassigned).
constexpr std::array<char16_t, 64> k_cp1251_high = {
    0x0402, 0x0403, 0x201A, 0x0453, 0x201E, 0x2026, 0x2020, 0x2021, 0x20AC, 0x2030, 0x0409, 0x2039, 0x040A,
    0x040C, 0x040B, 0x040F, 0x0452, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0xFFFD, 0x2122,
    0x0459, 0x203A, 0x045A, 0x045C, 0x045B, 0x045F, 0x00A0, 0x040E, 0x045E, 0x0408, 0x00A4, 0x0490, 0x00A6,
    0x00A7, 0x0401, 0x00A9, 0x0404, 0x00AB, 0x00AC, 0x00AD, 0x00AE, 0x0407, 0x00B0, 0x00B1, 0x0406, 0x0456,
    0x0491, 0x00B5, 0x00B6, 0x00B7, 0x0451, 0x2116, 0x0454, 0x00BB, 0x0458, 0x0405, 0x0455, 0x0457};

enum class Encoding { utf8, cp1251, utf16le, utf16be };

// The characters of a plain text or HTML file in one of the encodings found
// in Russian schools' files, keeping partial units between chunks.
class SourceDecoder {
 public:
  explicit SourceDecoder(Encoding e) : m_enc(e) {}

  template <typename Emit>
  void feed(std::string_view bytes, Emit&& emit) {
    switch (m_enc) {
      case Encoding::utf8:
        return m_utf8.feed(bytes, emit);
      case Encoding::cp1251:
        for (char ch : bytes) {
          auto b = static_cast<unsigned char>(ch);
          emit(b < 0x80    ? char32_t{b}
               : b >= 0xC0 ? char32_t{0x0410u + (b - 0xC0u)}
                           : char32_t{k_cp1251_high[b - 0x80]});
        }
        return;
      case Encoding::utf16le:
      case Encoding::utf16be:
        for (char ch : bytes) {
          auto b = static_cast<unsigned char>(ch);
          if (!m_odd) {
            m_first = b, m_odd = true;
            continue;
          }
          m_odd = false;
          char32_t unit = m_enc == Encoding::utf16le ? (m_first | (b << 8u)) : ((m_first << 8u) | b);
          unit16(unit, emit);
        }
        return;
    }
  }
  template <typename Emit>
  void finish(Emit&& emit) {
    m_utf8.finish(emit);
    if (m_odd || m_high) emit(0xFFFD);
    m_odd = false, m_high = 0;
  }

 private:
  template <typename Emit>
  void unit16(char32_t unit, Emit& emit) {
    if (m_high) {
      char32_t high = m_high;
      m_high = 0;
      if (unit >= 0xDC00 && unit < 0xE000) return emit(0x10000 + ((high - 0xD800) << 10) + (unit - 0xDC00));
      emit(0xFFFD);  // a high surrogate alone
    }
    if (unit >= 0xD800 && unit < 0xDC00)
      m_high = unit;
    else if (unit >= 0xDC00 && unit < 0xE000)
      emit(0xFFFD);  // a low surrogate alone
    else
      emit(unit);
  }

  Encoding m_enc;
  Utf8Decoder m_utf8;
  bool m_odd = false;
  unsigned m_first = 0;
  char32_t m_high = 0;
};

// ---- Markup

// What of a markup format is text. Names are compared as written in the
// files (qualified, with the prefixes every producer uses: w:, a:, text:).
struct Markup {
  // Character data counts only inside these elements (none listed: it counts
  // everywhere, as in HTML).
  std::vector<std::string_view> text;
  // Paragraphs: their start and their end break the line (the start
  // matters for paragraphs nested in others: a footnote's, a text box's).
  std::vector<std::string_view> block;
  // Elements that stand for white space.
  std::vector<std::string_view> tab, line_break, space;
  // Nothing inside these counts (comments on the margin, deleted text,
  // fallback copies of what was read already).
  std::vector<std::string_view> skip;
  // When set, tab and line_break count only inside this element: Word's
  // w:tab also defines tab stops in paragraph properties.
  std::string_view run;
  // HTML: names are case-insensitive, the content of script and style is
  // not markup, entities are those of HTML and may lack their ';'.
  bool html = false;
};

const Markup& docx_markup() {
  static const Markup m{{"w:t"}, {"w:p"}, {"w:tab"}, {"w:br", "w:cr"}, {}, {"mc:Fallback"}, "w:r", false};
  return m;
}
const Markup& pptx_markup() {
  static const Markup m{{"a:t"}, {"a:p"}, {}, {"a:br"}, {}, {"mc:Fallback"}, {}, false};
  return m;
}
const Markup& odf_markup() {
  // text:s stands for one or more spaces (text:c="n"): one is enough once
  // runs of white space collapse.
  static const Markup m{{"text:p", "text:h"},
                        {"text:p", "text:h"},
                        {"text:tab"},
                        {"text:line-break"},
                        {"text:s"},
                        {"office:annotation", "text:tracked-changes", "text:note-citation"},
                        {},
                        false};
  return m;
}
const Markup& html_markup() {
  static const Markup m{
      {},
      {"address", "article",  "aside",      "blockquote", "body",   "caption", "dd",    "details", "div",    "dl",
       "dt",      "fieldset", "figcaption", "figure",     "footer", "form",    "h1",    "h2",      "h3",     "h4",
       "h5",      "h6",       "header",     "hr",         "li",     "main",    "nav",   "ol",      "option", "p",
       "pre",     "section",  "summary",    "table",      "td",     "th",      "title", "tr",      "ul"},
      {},
      {"br"},
      {},
      {},
      {},
      true};
  return m;
}

bool listed(const std::vector<std::string_view>& names, std::string_view name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

// The named character references of HTML that Russian pages use; XML has
// only the first five.
struct NamedChar {
  std::string_view name;
  char32_t c;
};
constexpr std::array<NamedChar, 5> k_xml_entities = {
    {{"amp", '&'}, {"lt", '<'}, {"gt", '>'}, {"quot", '"'}, {"apos", '\''}}};
constexpr std::array<NamedChar, 32> k_html_entities = {{
    {"amp", '&'},       {"lt", '<'},       {"gt", '>'},       {"quot", '"'},     {"apos", '\''},     {"nbsp", 0xA0},
    {"laquo", 0xAB},    {"raquo", 0xBB},   {"mdash", 0x2014}, {"ndash", 0x2013}, {"hellip", 0x2026}, {"copy", 0xA9},
    {"reg", 0xAE},      {"trade", 0x2122}, {"deg", 0xB0},     {"plusmn", 0xB1},  {"times", 0xD7},    {"divide", 0xF7},
    {"sect", 0xA7},     {"para", 0xB6},    {"middot", 0xB7},  {"bull", 0x2022},  {"lsquo", 0x2018},  {"rsquo", 0x2019},
    {"sbquo", 0x201A},  {"ldquo", 0x201C}, {"rdquo", 0x201D}, {"bdquo", 0x201E}, {"shy", 0xAD},      {"euro", 0x20AC},
    {"numero", 0x2116}, {"minus", 0x2212},
}};

// A streaming reader of XML (and of HTML, leniently) that passes the text to
// a TextOut. It is a state machine over bytes: no tree, no recursion, no
// buffer larger than an element name or a reference, so neither depth nor
// size of the input costs memory. Document type declarations are skipped
// whole and their entities never expanded: a reference to anything but the
// predefined entities gives nothing, which leaves entity bombs inert.
class MarkupReader {
 public:
  MarkupReader(const Markup& markup, TextOut& out) : m_markup(markup), m_out(out) {}

  void feed(std::string_view s) {
    std::size_t i = 0;
    while (i < s.size() && !m_out.full()) {
      if (m_state == State::data) {
        // Character data up to the next markup, in one piece; where it does
        // not count only '<' matters.
        std::size_t end = i;
        if (!counting()) {
          end = std::min(s.find('<', i), s.size());
        } else {
          while (end < s.size() && s[end] != '<' && s[end] != '&') ++end;
        }
        if (end > i) {
          if (counting()) data(s.substr(i, end - i));
          i = end;
          continue;
        }
      }
      if (step(s[i])) ++i;
    }
  }
  void finish() { m_decoder.finish(m_out.putter()); }

 private:
  enum class State { data, lt, name, attrs, quote, bang, comment, cdata, decl, pi, reference, raw };

  bool counting() const { return m_skip == 0 && (m_markup.text.empty() || m_text > 0); }
  void data(std::string_view bytes) {
    if (counting()) m_decoder.feed(bytes, m_out.putter());
  }
  void character(char32_t c) {
    if (counting()) m_out.put(c);
  }
  void interrupt() { m_decoder.finish(m_out.putter()); }

  static bool space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
  // The value of an ASCII digit (hex: a-f too), -1 for anything else (the
  // functions of <cctype> depend on the locale).
  static int digit(char c, bool hex = false) {
    if (c >= '0' && c <= '9') return c - '0';
    if (hex && (c | 0x20) >= 'a' && (c | 0x20) <= 'f') return (c | 0x20) - 'a' + 10;
    return -1;
  }
  static bool name_start(char c) {
    auto b = static_cast<unsigned char>(c);
    return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || b == '_' || b == ':' || b >= 0x80;
  }

  // One byte of markup. False: the byte was not consumed and is to be read
  // again in the new state (a '<' or '&' that turned out to be text).
  bool step(char c) {
    switch (m_state) {
      case State::data:
        interrupt();
        if (c == '<') {
          m_state = State::lt;
        } else {
          m_reference.clear();
          m_state = State::reference;
        }
        return true;
      case State::lt:
        m_name.clear();
        m_end = false;
        m_slash = false;
        if (c == '/') {
          m_end = true;
          m_state = State::name;
        } else if (c == '!') {
          m_bang.clear();
          m_state = State::bang;
        } else if (c == '?') {
          m_prev = 0;
          m_state = State::pi;
        } else if (name_start(c)) {
          m_state = State::name;
          return false;
        } else {  // "a < b": text
          data("<");
          m_state = State::data;
          return false;
        }
        return true;
      case State::name:
        if (space(c)) {
          m_state = State::attrs;
        } else if (c == '/') {
          m_slash = true;
          m_state = State::attrs;
        } else if (c == '>') {
          tag();
        } else if (m_name.size() <= 64) {  // longer than every name we look for: it matches none
          m_name += m_markup.html && c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
        }
        return true;
      case State::attrs:
        if (c == '>') {
          tag();
        } else if (c == '"' || c == '\'') {
          m_quote = c;
          m_slash = false;
          m_state = State::quote;
        } else if (!space(c)) {
          m_slash = c == '/';
        }
        return true;
      case State::quote:
        if (c == m_quote) m_state = State::attrs;
        return true;
      case State::bang:
        m_bang += c;
        if (m_bang == "--") {
          m_dashes = 0;
          m_state = State::comment;
        } else if (m_bang == "[CDATA[") {
          m_brackets = 0;
          m_state = State::cdata;
        } else if (std::string_view("--").substr(0, m_bang.size()) != m_bang &&
                   std::string_view("[CDATA[").substr(0, m_bang.size()) != m_bang) {
          // A declaration (<!DOCTYPE, <!ENTITY…): skipped whole, from the
          // bytes read so far.
          m_state = State::decl;
          m_decl_quote = 0, m_decl_depth = 0, m_decl_comment = false, m_tail = 0;
          for (char b : m_bang) declaration(b);
        }
        return true;
      case State::comment:
        if (c == '-') {
          m_dashes = std::min(m_dashes + 1, 2);
        } else {
          if (c == '>' && m_dashes >= 2) m_state = State::data;
          m_dashes = 0;
        }
        return true;
      case State::cdata:
        if (c == ']') {
          if (++m_brackets > 2) {  // only the last two can start "]]>"
            data("]");
            m_brackets = 2;
          }
        } else if (c == '>' && m_brackets == 2) {
          interrupt();
          m_state = State::data;
        } else {
          for (; m_brackets > 0; --m_brackets) data("]");
          data(std::string_view(&c, 1));
        }
        return true;
      case State::decl:
        declaration(c);
        return true;
      case State::pi:
        if (c == '>' && m_prev == '?') m_state = State::data;
        m_prev = c;
        return true;
      case State::reference:
        if (c == ';') {
          reference(true);
          m_state = State::data;
          return true;
        }
        if (m_reference.size() < 32 && (digit(c) >= 0 || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') || c == '#')) {
          m_reference += c;
          return true;
        }
        // No ';': HTML still knows "&nbsp" and the like; anything else, and
        // a lone '&', is text.
        if (!(m_markup.html && reference(false))) {
          data("&");
          data(m_reference);
        }
        m_state = State::data;
        return false;
      case State::raw:
        // The content of script or style, up to "</script" or "</style".
        if (m_raw_matched < 2) {
          m_raw_matched = (c == "</"[m_raw_matched]) ? m_raw_matched + 1 : (c == '<' ? 1 : 0);
        } else if ((c | 0x20) == m_raw[m_raw_matched - 2]) {
          if (++m_raw_matched == m_raw.size() + 2) {
            m_name = m_raw;
            m_end = true;
            m_slash = false;
            m_state = State::name;
          }
        } else {
          m_raw_matched = c == '<' ? 1 : 0;
        }
        return true;
    }
    return true;
  }

  // One byte of a declaration: quoted strings, the internal subset in
  // brackets and comments in it may all hold a '>'.
  void declaration(char c) {
    m_tail = (m_tail << 8) | static_cast<unsigned char>(c);
    if (m_decl_comment) {
      if ((m_tail & 0xFFFFFF) == ('-' << 16 | '-' << 8 | '>')) m_decl_comment = false, m_tail = 0;
    } else if (m_decl_quote) {
      if (c == m_decl_quote) m_decl_quote = 0;
    } else if (m_tail == (static_cast<std::uint32_t>('<') << 24 | '!' << 16 | '-' << 8 | '-')) {
      m_decl_comment = true, m_tail = 0;
    } else if (c == '"' || c == '\'') {
      m_decl_quote = c;
    } else if (c == '[') {
      ++m_decl_depth;
    } else if (c == ']') {
      if (m_decl_depth > 0) --m_decl_depth;
    } else if (c == '>' && m_decl_depth == 0) {
      m_state = State::data;
    }
  }

  // A tag has been read (its name in m_name).
  void tag() {
    m_state = State::data;
    const auto& m = m_markup;
    if (m_end) {
      if (listed(m.text, m_name) && m_text > 0) --m_text;
      if (listed(m.skip, m_name) && m_skip > 0) --m_skip;
      if (!m.run.empty() && m_name == m.run && m_run > 0) --m_run;
      if (listed(m.block, m_name)) m_out.line_break();
      return;
    }
    bool open = !m_slash;  // not <empty/>
    if (m.html && open && (m_name == "script" || m_name == "style")) {
      m_raw = m_name;
      m_raw_matched = 0;
      m_state = State::raw;
      return;
    }
    if (open && listed(m.skip, m_name)) ++m_skip;
    if (open && listed(m.text, m_name)) ++m_text;
    if (open && !m.run.empty() && m_name == m.run) ++m_run;
    if (m_skip > 0) return;
    bool in_run = m.run.empty() || m_run > 0;
    if (in_run && listed(m.tab, m_name)) m_out.tab();
    if (in_run && listed(m.line_break, m_name)) m_out.line_break();
    if (listed(m.space, m_name)) m_out.space();
    if (listed(m.block, m_name)) m_out.line_break();
  }

  // A character reference has been read (its name in m_reference); false
  // when it is not one this format knows.
  bool reference(bool terminated) {
    const std::string& r = m_reference;
    if (r.size() >= 2 && r[0] == '#') {
      if (!terminated) return false;
      bool hex = r[1] == 'x' || r[1] == 'X';
      std::size_t at = hex ? 2 : 1;
      if (at == r.size()) return false;
      char32_t c = 0;
      for (; at < r.size(); ++at) {
        int d = digit(r[at], hex);
        if (d < 0) return false;
        c = std::min<char32_t>(c * (hex ? 16 : 10) + static_cast<char32_t>(d), 0x110000);
      }
      character(c == 0 || c > 0x10FFFF || (c >= 0xD800 && c < 0xE000) ? 0xFFFD : c);
      return true;
    }
    auto find = [&](const auto& table) -> bool {
      for (const auto& e : table)
        if (e.name == r) {
          character(e.c);
          return true;
        }
      return false;
    };
    // An unknown name, declared in the document type or not, gives nothing;
    // XML knows no reference without its ';'.
    if (!terminated && !m_markup.html) return false;
    bool known = m_markup.html ? find(k_html_entities) : find(k_xml_entities);
    return known || terminated;
  }

  const Markup& m_markup;
  TextOut& m_out;
  Utf8Decoder m_decoder;
  State m_state = State::data;
  std::string m_name, m_bang, m_reference;
  bool m_end = false, m_slash = false;
  char m_quote = 0, m_prev = 0, m_decl_quote = 0;
  int m_dashes = 0, m_brackets = 0;
  std::size_t m_decl_depth = 0;
  bool m_decl_comment = false;
  std::uint32_t m_tail = 0;
  std::string m_raw;
  std::size_t m_raw_matched = 0;
  // How deep we are in text, skipped and run elements.
  std::size_t m_text = 0, m_skip = 0, m_run = 0;
};

// ---- Files

// A file descriptor closed on scope exit.
struct Fd {
  int fd = -1;
  explicit Fd(int f = -1) : fd(f) {}
  ~Fd() { reset(); }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  void reset(int f = -1) {
    if (fd >= 0) ::close(fd);
    fd = f;
  }
  int release() { return std::exchange(fd, -1); }
};

std::string errno_text(int e = errno) {
  return std::strerror(e);
}

// Calls f(chunk) for the bytes of fd from `from` to `to`, until f returns
// false. False on a read error (errno says which).
template <typename F>
bool each_chunk(int fd, std::uint64_t from, std::uint64_t to, F&& f) {
  std::vector<char> buf(k_chunk);
  while (from < to) {
    auto want = static_cast<std::size_t>(std::min<std::uint64_t>(buf.size(), to - from));
    auto n = ::pread(fd, buf.data(), want, static_cast<off_t>(from));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return false;
    if (n == 0) break;  // shorter than it was
    from += static_cast<std::uint64_t>(n);
    if (!f(std::string_view(buf.data(), static_cast<std::size_t>(n)))) break;
  }
  return true;
}

std::string mib(std::uint64_t bytes) {
  return std::to_string(bytes >> 20);
}

// ---- Plain text and HTML

// Plain text and HTML files carry no reliable statement of their encoding.
// A byte order mark decides; otherwise the file is UTF-8 unless most of its
// non-ASCII sequences are not (then it is Windows-1251, what Russian
// Windows saves by default). A UTF-8 file with a few damaged bytes so stays
// UTF-8, with U+FFFD for them.
void from_source(int fd, std::uint64_t size, DocKind kind, TextOut& out, const ExtractLimits& limits,
                 std::string& problem) {
  std::uint64_t end = std::min(size, limits.source_bytes);
  unsigned char bom[3] = {};
  auto got = ::pread(fd, bom, sizeof bom, 0);
  std::uint64_t start = 0;
  std::optional<Encoding> enc;
  if (got >= 3 && bom[0] == 0xEF && bom[1] == 0xBB && bom[2] == 0xBF)
    enc = Encoding::utf8, start = 3;
  else if (got >= 2 && bom[0] == 0xFF && bom[1] == 0xFE)
    enc = Encoding::utf16le, start = 2;
  else if (got >= 2 && bom[0] == 0xFE && bom[1] == 0xFF)
    enc = Encoding::utf16be, start = 2;
  auto failed = [&] { problem = trf("cannot read the file: {}", errno_text()); };
  if (!enc) {
    std::uint64_t valid = 0, invalid = 0;
    Utf8Decoder check;
    auto count = [&](char32_t c) {
      if (c == 0xFFFD)
        ++invalid;
      else if (c >= 0x80)
        ++valid;
    };
    if (!each_chunk(fd, 0, end, [&](std::string_view chunk) {
          check.feed(chunk, count);
          return true;
        }))
      return failed();
    check.finish(count);
    enc = invalid > 0 && invalid >= valid ? Encoding::cp1251 : Encoding::utf8;
  }
  SourceDecoder decoder(*enc);
  bool ok;
  if (kind == DocKind::html) {
    MarkupReader reader(html_markup(), out);
    std::string utf8;
    auto to_utf8 = [&](char32_t c) { append_utf8(utf8, c); };
    ok = each_chunk(fd, start, end, [&](std::string_view chunk) {
      utf8.clear();
      decoder.feed(chunk, to_utf8);
      reader.feed(utf8);
      return !out.full();
    });
    utf8.clear();
    decoder.finish(to_utf8);
    reader.feed(utf8);
    reader.finish();
  } else {
    out.set_plain(true);
    auto put = [&](char32_t c) { out.put(c); };
    ok = each_chunk(fd, start, end, [&](std::string_view chunk) {
      decoder.feed(chunk, put);
      return !out.full();
    });
    decoder.finish(put);
  }
  if (!ok) return failed();
  if (size > end && !out.full()) problem = trf("only the first {} MiB of the file were read", mib(end));
}

// ---- Office documents (zip)

const char* format_name(DocKind kind) {
  switch (kind) {
    case DocKind::docx:
      return "DOCX";
    case DocKind::odt:
      return "ODT";
    case DocKind::pptx:
      return "PPTX";
    case DocKind::odp:
      return "ODP";
    default:
      return "";
  }
}

// The number in `name` between `prefix` and `suffix` ("ppt/slides/slide12.xml"
// → 12), if that is all digits.
std::optional<std::uint64_t> numbered(std::string_view name, std::string_view prefix, std::string_view suffix) {
  if (name.size() <= prefix.size() + suffix.size() || name.substr(0, prefix.size()) != prefix ||
      name.substr(name.size() - suffix.size()) != suffix)
    return std::nullopt;
  auto digits = name.substr(prefix.size(), name.size() - prefix.size() - suffix.size());
  if (digits.size() > 9 || digits.find_first_not_of("0123456789") != std::string_view::npos) return std::nullopt;
  std::uint64_t n = 0;
  for (char d : digits) n = n * 10 + static_cast<std::uint64_t>(d - '0');
  return n;
}

struct Part {
  std::string name;
  zip_uint64_t index = 0;
};

// The parts of a document that hold its text, in reading order, and the one
// without which it is not a document of its kind.
std::vector<Part> text_parts(zip_t* z, zip_uint64_t entries, DocKind kind, std::string& required) {
  std::vector<Part> parts;
  auto add = [&](const std::string& name) {
    auto i = zip_name_locate(z, name.c_str(), 0);
    if (i >= 0) parts.push_back({name, static_cast<zip_uint64_t>(i)});
    return i >= 0;
  };
  // Numbered parts in their numeric order ("slide2" before "slide10").
  auto add_numbered = [&](std::string_view prefix, std::string_view suffix) {
    std::vector<std::pair<std::uint64_t, Part>> found;
    for (zip_uint64_t i = 0; i < entries; ++i) {
      const char* name = zip_get_name(z, i, 0);
      if (!name) continue;
      if (auto n = numbered(name, prefix, suffix)) found.push_back({*n, {name, i}});
    }
    std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    for (auto& f : found) parts.push_back(std::move(f.second));
  };
  switch (kind) {
    case DocKind::docx:
      required = "word/document.xml";
      if (!add(required)) return {};
      add_numbered("word/header", ".xml");
      add_numbered("word/footer", ".xml");
      add("word/footnotes.xml");
      add("word/endnotes.xml");
      break;
    case DocKind::pptx:
      // Slides by the number in their names: PowerPoint and LibreOffice
      // number them in the order of the presentation when they save.
      required = "ppt/presentation.xml";
      if (zip_name_locate(z, required.c_str(), 0) < 0) return {};
      add_numbered("ppt/slides/slide", ".xml");
      break;
    default:  // odt, odp: headers and footers are in styles.xml, left out
      required = "content.xml";
      add(required);
      break;
  }
  return parts;
}

enum class PartRead { done, stopped, encrypted, damaged, too_large };

// Streams one part of a zip to f(chunk), reading at most `cap` uncompressed
// bytes whatever the part declares; `cap` is lowered by what was read.
template <typename F>
PartRead read_part(zip_t* z, zip_uint64_t index, std::uint64_t& cap, F&& f) {
  zip_stat_t st;
  if (zip_stat_index(z, index, 0, &st) != 0) return PartRead::damaged;
  if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) && st.encryption_method != ZIP_EM_NONE) return PartRead::encrypted;
  std::unique_ptr<zip_file_t, int (*)(zip_file_t*)> file(zip_fopen_index(z, index, 0), zip_fclose);
  if (!file) return PartRead::damaged;
  std::vector<char> buf(k_chunk);
  while (true) {
    // At the cap, one byte more tells whether the part goes on.
    auto want = cap == 0 ? 1 : static_cast<std::size_t>(std::min<std::uint64_t>(buf.size(), cap));
    auto n = zip_fread(file.get(), buf.data(), want);
    if (n < 0) return PartRead::damaged;  // a broken stream, or a checksum that does not match
    if (n == 0) return PartRead::done;
    if (cap == 0) return PartRead::too_large;
    cap -= static_cast<std::uint64_t>(n);
    if (!f(std::string_view(buf.data(), static_cast<std::size_t>(n)))) return PartRead::stopped;
  }
}

void from_zip(Fd& fd, DocKind kind, TextOut& out, const ExtractLimits& limits, std::string& problem) {
  const char* format = format_name(kind);
  // A password-protected OOXML file, like a .doc or .ppt, is an OLE
  // compound file, not a zip.
  unsigned char magic[8] = {};
  if (::pread(fd.fd, magic, sizeof magic, 0) == sizeof magic &&
      std::memcmp(magic, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", sizeof magic) == 0) {
    problem =
        trf("cannot read the {} file: it is an old Office file (.doc, .ppt) or is protected with a password; save it "
            "again as {} without a password",
            format, format);
    return;
  }
  int err = 0;
  zip_t* opened = zip_fdopen(fd.fd, 0, &err);
  if (!opened) {
    problem = trf("cannot read the {} file: it is not a zip archive, or the archive is damaged", format);
    return;
  }
  fd.release();  // the zip owns it now
  std::unique_ptr<zip_t, void (*)(zip_t*)> z(opened, zip_discard);
  auto entries = zip_get_num_entries(z.get(), 0);
  if (entries < 0 || static_cast<std::uint64_t>(entries) > limits.zip_entries) {
    problem = trf("cannot read the {} file: the archive has too many parts", format);
    return;
  }
  std::string required;
  auto parts = text_parts(z.get(), static_cast<zip_uint64_t>(entries), kind, required);
  if (parts.empty() && !required.empty() && zip_name_locate(z.get(), required.c_str(), 0) < 0) {
    problem = trf("cannot read the {} file: it has no part {}", format, required);
    return;
  }
  const Markup& markup = kind == DocKind::docx ? docx_markup() : kind == DocKind::pptx ? pptx_markup() : odf_markup();
  std::uint64_t total = limits.zip_total_bytes;
  for (const auto& part : parts) {
    std::uint64_t cap = std::min(limits.zip_entry_bytes, total);
    std::uint64_t before = cap;
    MarkupReader reader(markup, out);  // afresh for each part: a broken one leaves nothing open
    auto how = read_part(z.get(), part.index, cap, [&](std::string_view chunk) {
      reader.feed(chunk);
      return !out.full();
    });
    reader.finish();
    out.line_break();
    total -= before - cap;
    if (out.full()) break;
    if (how == PartRead::too_large && total == 0 && before < limits.zip_entry_bytes) {
      // The whole document's budget is spent: the parts left are not opened.
      if (problem.empty())
        problem = trf("cannot read all of the {} file: its parts unpack to more than {} MiB", format,
                      mib(limits.zip_total_bytes));
      break;
    }
    if (how == PartRead::done || !problem.empty()) continue;
    if (how == PartRead::encrypted)
      problem = trf("cannot read all of the {} file: the part {} is encrypted", format, part.name);
    else if (how == PartRead::damaged)
      problem = trf("cannot read all of the {} file: the part {} is damaged", format, part.name);
    else if (how == PartRead::too_large)
      problem = trf("cannot read all of the {} file: the part {} unpacks to more than {} MiB", format, part.name,
                    mib(limits.zip_entry_bytes));
  }
}

// ---- PDF

// PDF text comes from poppler's pdftotext, run as a separate process rather
// than linked in. A hostile PDF that makes a parser crash, loop or eat memory
// then does so in that process, which is killed after a timeout or when it
// has given enough text, under an address-space limit, while setevoe goes
// on; poppler is maintained and packaged by Debian (poppler-utils), so PDF
// parsing gets its security fixes without setevoe linking another library.
//
// The child runs in its own process group, so that the kill reaches anything
// it started too; its stdout is a pipe, its stdin and stderr /dev/null; no
// shell is involved. It is always reaped.

// `fd` moved above 0–2 (if a caller runs with a standard stream closed, a
// pipe could land there and be overwritten by the dup2 calls of the child).
int above_stdio(int fd) {
  if (fd < 0 || fd > 2) return fd;
  int moved = ::fcntl(fd, F_DUPFD_CLOEXEC, 3);
  ::close(fd);
  return moved;
}

struct Pipe {
  Fd read, write;
  bool open() {
    int p[2];
    if (::pipe2(p, O_CLOEXEC) != 0) return false;
    read.reset(above_stdio(p[0]));
    write.reset(above_stdio(p[1]));
    return read.fd >= 0 && write.fd >= 0;
  }
};

std::string seconds(std::chrono::milliseconds ms) {
  auto s = fmt::format("{:.1f}", static_cast<double>(ms.count()) / 1000);
  if (s.size() > 2 && s.compare(s.size() - 2, 2, ".0") == 0) s.resize(s.size() - 2);
  return s;
}

void from_pdf(const fs::path& file, TextOut& out, const ExtractLimits& limits, std::string& problem) {
  using Clock = std::chrono::steady_clock;
  auto deadline = Clock::now() + limits.pdf_timeout;
  // A name starting with '-' would be read as an option.
  std::string path = file.string();
  if (!path.empty() && path[0] == '-') path = "./" + path;
  std::array<std::string, 8> args = {"pdftotext", "-q", "-enc", "UTF-8", "-eol", "unix", path, "-"};
  std::array<char*, args.size() + 1> argv{};
  for (std::size_t i = 0; i < args.size(); ++i) argv[i] = args[i].data();

  // Made before fork: the child only calls what is safe after fork in a
  // process that may have threads.
  Pipe output, exec_error;
  Fd null(above_stdio(::open("/dev/null", O_RDWR | O_CLOEXEC)));
  if (!output.open() || !exec_error.open() || null.fd < 0) {
    problem = trf("cannot read the PDF: cannot start pdftotext: {}", errno_text());
    return;
  }
  rlimit memory{static_cast<rlim_t>(limits.pdf_memory), static_cast<rlim_t>(limits.pdf_memory)};
  pid_t pid = ::fork();
  if (pid < 0) {
    problem = trf("cannot read the PDF: cannot start pdftotext: {}", errno_text());
    return;
  }
  if (pid == 0) {
    ::setpgid(0, 0);
    ::dup2(null.fd, 0);
    ::dup2(output.write.fd, 1);
    ::dup2(null.fd, 2);
    // Nothing else of setevoe's (the database, other files) goes along.
    ::close_range(3, static_cast<unsigned>(exec_error.write.fd) - 1, 0);
    ::close_range(static_cast<unsigned>(exec_error.write.fd) + 1, ~0u, 0);
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    struct sigaction dfl {};
    dfl.sa_handler = SIG_DFL;
    ::sigaction(SIGPIPE, &dfl, nullptr);
    ::setrlimit(RLIMIT_AS, &memory);
    ::execvp(argv[0], argv.data());
    int e = errno;
    [[maybe_unused]] auto n = ::write(exec_error.write.fd, &e, sizeof e);
    ::_exit(127);
  }
  ::setpgid(pid, pid);  // as the child does: whichever runs first
  output.write.reset();
  exec_error.write.reset();
  null.reset();

  // Kills the child's group; the child is not reaped yet, so its group id
  // cannot have been given to another process meanwhile.
  auto kill_group = [&] { ::kill(-pid, SIGKILL); };
  auto reap = [&] {
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    return status;
  };

  // The exec either succeeds, closing the error pipe, or reports its errno.
  int exec_errno = 0;
  ssize_t n;
  while ((n = ::read(exec_error.read.fd, &exec_errno, sizeof exec_errno)) < 0 && errno == EINTR) {
  }
  if (n == sizeof exec_errno) {
    reap();
    problem = exec_errno == ENOENT
                  ? tr("cannot read the PDF: pdftotext is not found; install the package poppler-utils")
                  : trf("cannot read the PDF: cannot start pdftotext: {}", errno_text(exec_errno));
    return;
  }

  enum class End { eof, full, timeout } end = End::eof;
  out.set_plain(true);
  Utf8Decoder decoder;
  auto put = [&](char32_t c) { out.put(c); };
  std::vector<char> buf(k_chunk);
  while (true) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) {
      end = End::timeout;
      break;
    }
    pollfd p{output.read.fd, POLLIN, 0};
    int ready = ::poll(&p, 1, static_cast<int>(std::min<long long>(left, 1000)));
    if (ready < 0 && errno != EINTR) break;
    if (ready <= 0) continue;
    auto got = ::read(output.read.fd, buf.data(), buf.size());
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) break;  // end of output
    decoder.feed(std::string_view(buf.data(), static_cast<std::size_t>(got)), put);
    if (out.full()) {
      end = End::full;
      break;
    }
  }
  decoder.finish(put);
  output.read.reset();  // a child still writing gets SIGPIPE

  // After its output ends, the child has until the deadline to exit.
  if (end == End::eof) {
    while (true) {
      siginfo_t info{};
      int rc = ::waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOHANG | WNOWAIT);
      if (rc < 0 && errno == EINTR) continue;
      if (rc < 0 || info.si_pid != 0) break;  // exited (or not ours to wait for)
      if (Clock::now() >= deadline) {
        end = End::timeout;
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  }
  kill_group();
  int status = reap();
  if (end == End::full) return;
  if (end == End::timeout) {
    problem = trf("cannot read the PDF: pdftotext took longer than {} s and was stopped", seconds(limits.pdf_timeout));
    return;
  }
  if (WIFSIGNALED(status)) {
    problem = trf("cannot read the PDF: pdftotext stopped on signal {}", WTERMSIG(status));
  } else if (WIFEXITED(status) && WEXITSTATUS(status) != 0) {
    int code = WEXITSTATUS(status);
    problem = code == 1   ? tr("cannot read the PDF: it is damaged, is not a PDF, or is protected with a password")
              : code == 3 ? tr("cannot read the PDF: its author does not permit copying its text")
                          : trf("cannot read the PDF: pdftotext failed (exit code {})", code);
  } else if (out.text().empty()) {
    problem = tr("the PDF has no text (it may be a scan)");
  }
}

}  // namespace

DocKind document_kind(std::string_view file_name) {
  auto dot = file_name.rfind('.');
  if (dot == std::string_view::npos || file_name.find('/', dot) != std::string_view::npos) return DocKind::none;
  std::string ext(file_name.substr(dot + 1));
  for (auto& c : ext)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  static const std::array<std::pair<std::string_view, DocKind>, 14> kinds = {{
      {"docx", DocKind::docx},
      {"docm", DocKind::docx},
      {"odt", DocKind::odt},
      {"ott", DocKind::odt},
      {"pptx", DocKind::pptx},
      {"odp", DocKind::odp},
      {"pdf", DocKind::pdf},
      {"txt", DocKind::text},
      {"md", DocKind::text},
      {"markdown", DocKind::text},
      {"csv", DocKind::text},
      {"html", DocKind::html},
      {"htm", DocKind::html},
      {"xhtml", DocKind::html},
  }};
  for (const auto& [name, kind] : kinds)
    if (name == ext) return kind;
  return DocKind::none;
}

Extracted extract_text(const fs::path& file, DocKind kind, std::size_t limit) {
  return extract_text(file, kind, limit, ExtractLimits{});
}

Extracted extract_text(const fs::path& file, DocKind kind, std::size_t limit, const ExtractLimits& limits) {
  Extracted result;
  if (kind == DocKind::none) return result;
  TextOut out(limit);
  try {
    // O_NONBLOCK: a FIFO put where a file was expected must not hang the open.
    Fd fd(::open(file.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY));
    struct stat st;
    if (fd.fd < 0 || ::fstat(fd.fd, &st) != 0) {
      result.problem = trf("cannot read the file: {}", errno_text());
    } else if (!S_ISREG(st.st_mode)) {
      result.problem = tr("cannot read the file: it is not a regular file");
    } else {
      switch (kind) {
        case DocKind::docx:
        case DocKind::odt:
        case DocKind::pptx:
        case DocKind::odp:
          from_zip(fd, kind, out, limits, result.problem);
          break;
        case DocKind::pdf:
          fd.reset();
          from_pdf(file, out, limits, result.problem);
          break;
        case DocKind::text:
        case DocKind::html:
          from_source(fd.fd, static_cast<std::uint64_t>(st.st_size), kind, out, limits, result.problem);
          break;
        case DocKind::none:
          break;
      }
    }
  } catch (const std::exception& e) {  // memory, mostly: still not the caller's failure
    result.problem = trf("cannot read the file: {}", e.what());
  }
  result.truncated = out.full();
  result.text = std::move(out.text());
  return result;
}

}  // namespace setevoe::core
