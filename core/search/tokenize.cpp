// The tokenizer "setevoe": words, their normal form and their stems.
#include "core/search/tokenize.hpp"

#include <libstemmer.h>
#include <utf8proc.h>

#include <climits>
#include <new>

namespace setevoe::core::search {
namespace {

// Terms are cut to this many bytes: FTS5 stores every distinct term, and a
// pasted blob of a megabyte must not become one.
constexpr std::size_t k_max_term = 100;
// A word part is read up to this many code points; the rest of it is
// skipped. 256 code points normalise to well over 100 bytes (a composition
// merges at most four code points, into one of three bytes), so the cut
// term is the same as if the whole part had been read, and a megabyte-long
// "word" costs no more than a short one.
constexpr std::size_t k_max_part = 256;

constexpr char32_t k_invalid = 0xFFFFFFFF;
constexpr char32_t k_palochka = 0x04CF;  // ӏ: every way of typing the palochka becomes this one

// The scripts of a normalised word, as bits.
constexpr unsigned k_cyrillic = 1, k_latin = 2, k_other = 4, k_digit = 8;

// What a code point is to the word splitter.
enum class Kind : unsigned char { separator, letter, digit, mark, soft_hyphen, hyphen };

// The code point at p (left > 0 bytes) and its length; k_invalid with
// length 1 for a byte that does not begin well-formed UTF-8 (a stray
// continuation byte, an overlong form, a surrogate, a truncated sequence, a
// value beyond U+10FFFF), so that each such byte separates words.
inline std::size_t decode(const unsigned char* p, std::size_t left, char32_t& cp) {
  const unsigned b = p[0];
  auto cont = [&](std::size_t i) { return static_cast<unsigned>(p[i]) & 0x3F; };
  auto is_cont = [&](std::size_t i) { return (p[i] & 0xC0) == 0x80; };
  if (b < 0x80) {
    cp = b;
    return 1;
  }
  if (b >= 0xC2 && b <= 0xDF) {
    if (left >= 2 && is_cont(1)) {
      cp = ((b & 0x1F) << 6) | cont(1);
      return 2;
    }
  } else if (b >= 0xE0 && b <= 0xEF) {
    // E0 needs A0..BF next (no overlongs), ED needs 80..9F (no surrogates).
    const unsigned lo = b == 0xE0 ? 0xA0 : 0x80, hi = b == 0xED ? 0x9F : 0xBF;
    if (left >= 3 && p[1] >= lo && p[1] <= hi && is_cont(2)) {
      cp = ((b & 0x0F) << 12) | (cont(1) << 6) | cont(2);
      return 3;
    }
  } else if (b >= 0xF0 && b <= 0xF4) {
    // F0 needs 90..BF next (no overlongs), F4 needs 80..8F (nothing past U+10FFFF).
    const unsigned lo = b == 0xF0 ? 0x90 : 0x80, hi = b == 0xF4 ? 0x8F : 0xBF;
    if (left >= 4 && p[1] >= lo && p[1] <= hi && is_cont(2) && is_cont(3)) {
      cp = ((b & 0x07) << 18) | (cont(1) << 12) | (cont(2) << 6) | cont(3);
      return 4;
    }
  }
  cp = k_invalid;
  return 1;
}

inline void encode(char32_t cp, std::string& out) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

inline utf8proc_category_t category(char32_t cp) {
  return utf8proc_category(static_cast<utf8proc_int32_t>(cp));
}

inline bool is_letter(utf8proc_category_t c) {
  return c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_LO;
}

inline bool is_ascii_letter(char32_t cp) {
  return (cp | 0x20) >= 'a' && (cp | 0x20) <= 'z';
}

// ASCII and the basic Cyrillic block are answered without utf8proc's tables:
// they are nearly all of what setevoe indexes.
inline Kind kind_of(char32_t cp) {
  if (cp < 0x80) {
    if (is_ascii_letter(cp)) return Kind::letter;
    if (cp >= '0' && cp <= '9') return Kind::digit;
    return cp == '-' ? Kind::hyphen : Kind::separator;
  }
  if (cp >= 0x0400 && cp <= 0x045F) return Kind::letter;
  if (cp == k_invalid) return Kind::separator;
  if (cp == 0x00AD) return Kind::soft_hyphen;
  if (cp >= 0x2010 && cp <= 0x2012) return Kind::hyphen;  // hyphen, non-breaking hyphen, figure dash
  auto c = category(cp);
  if (is_letter(c)) return Kind::letter;
  if (c == UTF8PROC_CATEGORY_ND) return Kind::digit;
  if (c >= UTF8PROC_CATEGORY_MN && c <= UTF8PROC_CATEGORY_ME) return Kind::mark;
  return Kind::separator;
}

inline bool starts_word(Kind k) {
  return k == Kind::letter || k == Kind::digit;
}

bool is_cyrillic_letter(char32_t cp) {
  if (cp >= 0x0400 && cp <= 0x045F) return true;
  bool block = (cp >= 0x0460 && cp <= 0x052F) || (cp >= 0x1C80 && cp <= 0x1C8F) || (cp >= 0xA640 && cp <= 0xA69F);
  return block && is_letter(category(cp));
}

bool is_latin_letter(char32_t cp) {
  if (cp < 0x80) return is_ascii_letter(cp);
  bool block = (cp >= 0x00C0 && cp <= 0x024F) || (cp >= 0x1E00 && cp <= 0x1EFF) || (cp >= 0x2C60 && cp <= 0x2C7F) ||
               (cp >= 0xA720 && cp <= 0xA7FF) || (cp >= 0xAB30 && cp <= 0xAB6F);
  return block && is_letter(category(cp));
}

// Chechen is written with the palochka Ӏ, which few keyboards have: people
// type a Latin I or l, a Ukrainian І, the digit 1 or the click letter ǀ
// instead. In a word with a Cyrillic letter those mean the palochka, so
// "кIант", "кlант" and "к1ант" are all "кӏант". A word without Cyrillic
// ("Iron", "11") is left alone; a 1 is the palochka after a Cyrillic
// letter or opening a longer word: "1-й", "1а" and "11а" keep their digits.
void unify_palochka(std::u32string& w) {
  bool cyrillic = false;
  for (auto c : w) {
    // Ukrainian І and і are look-alikes themselves, not proof of Cyrillic.
    if (c != 0x0406 && c != 0x0456 && is_cyrillic_letter(c)) {
      cyrillic = true;
      break;
    }
  }
  char32_t prev = 0;  // as written, before any replacement
  for (std::size_t i = 0; i < w.size(); ++i) {
    const char32_t c = w[i];
    if (c == 0x04C0) {
      w[i] = k_palochka;
    } else if (cyrillic) {
      if (c == 'I' || c == 'l' || c == 0x0406 || c == 0x0456 || c == 0x01C0) {
        w[i] = k_palochka;
      } else if (c == '1') {
        // After a Cyrillic letter ("к1ант"), or opening a word of two
        // letters more ("1илма"); not a class such as "1а" or "11а".
        const bool opens = i == 0 && i + 2 < w.size() && is_cyrillic_letter(w[i + 1]) && is_cyrillic_letter(w[i + 2]);
        if (is_cyrillic_letter(prev) || opens) w[i] = k_palochka;
      }
    }
    prev = c;
  }
}

// Function words that say nothing about what a text is about. Not "до"
// (ДО is preschool education), "не" (a search for "не аттестован" must not
// find "аттестован"), nor "it" (IT is a subject).
bool is_stop_word(std::string_view w) {
  static constexpr std::string_view k_stop_words[] = {
      "и",   "в",  "во", "что", "на",  "с",  "со", "как", "а",   "то",  "но",   "да", "к",   "ко",
      "у",   "же", "за", "бы",  "по",  "от", "о",  "об",  "из",  "для", "при",  "ли", "или", "это",
      "the", "a",  "an", "of",  "and", "or", "in", "on",  "for", "to",  "with", "by", "at",  "is"};
  if (w.size() > 6 || w.empty()) return false;  // "для", the longest, is 6 bytes
  // The last byte first: it tells Cyrillic letters apart (the first does not),
  // and most words checked here are no stop word.
  for (auto s : k_stop_words)
    if (s.size() == w.size() && s.back() == w.back() && s == w) return true;
  return false;
}

// s cut to at most k_max_term bytes, at the start of a code point.
std::string_view cut(std::string_view s) {
  if (s.size() <= k_max_term) return s;
  std::size_t n = k_max_term;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  return s.substr(0, n);
}

}  // namespace

Tokenizer::Tokenizer() : m_russian(sb_stemmer_new("russian", "UTF_8")), m_english(sb_stemmer_new("english", "UTF_8")) {
  // Both algorithms are built into every libstemmer: a null is out of memory.
  if (!m_russian || !m_english) {
    sb_stemmer_delete(m_russian);
    sb_stemmer_delete(m_english);
    throw std::bad_alloc();
  }
}

Tokenizer::~Tokenizer() {
  sb_stemmer_delete(m_russian);
  sb_stemmer_delete(m_english);
}

unsigned Tokenizer::normalise() {
  unify_palochka(m_raw);
  m_word.clear();
  unsigned script = 0;

  // Fast path: ASCII letters and digits and the basic Cyrillic block, where
  // NFKC changes nothing and case folding is an offset.
  bool simple = true;
  for (auto c : m_raw) {
    if (c < 0x80 ? !(is_ascii_letter(c) || (c >= '0' && c <= '9'))
                 : !((c >= 0x0400 && c <= 0x045F) || c == k_palochka)) {
      simple = false;
      break;
    }
  }
  if (simple) {
    for (auto c : m_raw) {
      if (c < 0x80) {
        script |= is_ascii_letter(c) ? k_latin : k_digit;
        m_word += static_cast<char>(c >= 'A' && c <= 'Z' ? c + 0x20 : c);
        continue;
      }
      script |= k_cyrillic;
      if (c >= 0x0400 && c <= 0x040F) {
        c += 0x50;  // Ѐ..Џ
      } else if (c >= 0x0410 && c <= 0x042F) {
        c += 0x20;  // А..Я
      }
      if (c == 0x0451) c = 0x0435;  // ё → е
      encode(c, m_word);
    }
    return script;
  }

  // Anything else through utf8proc: NFKC and case folding, as util::fold.
  m_utf8.clear();
  for (auto c : m_raw) encode(c, m_utf8);
  const auto options =
      static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD);
  const auto* in = reinterpret_cast<const utf8proc_uint8_t*>(m_utf8.data());
  const auto in_size = static_cast<utf8proc_ssize_t>(m_utf8.size());
  if (m_norm.size() < m_utf8.size() + 16) m_norm.resize(m_utf8.size() + 16);
  auto n = utf8proc_decompose(in, in_size, m_norm.data(), static_cast<utf8proc_ssize_t>(m_norm.size()), options);
  if (n > static_cast<utf8proc_ssize_t>(m_norm.size())) {  // a long compatibility decomposition
    m_norm.resize(static_cast<std::size_t>(n));
    n = utf8proc_decompose(in, in_size, m_norm.data(), n, options);
  }
  if (n >= 0) n = utf8proc_normalize_utf32(m_norm.data(), n, options);
  if (n < 0) {  // cannot happen on valid UTF-8; keep the word as written
    m_word = m_utf8;
    return k_other;
  }
  for (utf8proc_ssize_t i = 0; i < n; ++i) {
    auto c = static_cast<char32_t>(m_norm[static_cast<std::size_t>(i)]);
    if (c == 0x0451) c = 0x0435;  // ё → е (Ё has been folded to ё)
    // Stress marks of texts for learners (уро́ки): the same word without them.
    if (c == 0x0301 || c == 0x0300) continue;
    auto cat = category(c);
    if (is_letter(cat)) {
      script |= is_cyrillic_letter(c) ? k_cyrillic : is_latin_letter(c) ? k_latin : k_other;
    } else if (cat == UTF8PROC_CATEGORY_ND) {
      script |= k_digit;
    } else if (cat < UTF8PROC_CATEGORY_MN || cat > UTF8PROC_CATEGORY_ME) {
      script |= k_other;  // a compatibility form that is no letter (ﷺ holds spaces)
    }
    encode(c, m_word);
  }
  return script;
}

std::string_view Tokenizer::stem(std::string_view word, unsigned script) {
  word = cut(word);
  sb_stemmer* stemmer = script == k_cyrillic ? m_russian : script == k_latin ? m_english : nullptr;
  if (!stemmer) return word;  // digits, mixed or other scripts: as normalised
  const sb_symbol* s =
      sb_stemmer_stem(stemmer, reinterpret_cast<const sb_symbol*>(word.data()), static_cast<int>(word.size()));
  if (!s) throw std::bad_alloc();
  std::string_view stemmed(reinterpret_cast<const char*>(s), static_cast<std::size_t>(sb_stemmer_length(stemmer)));
  return stemmed.empty() ? word : cut(stemmed);
}

int Tokenizer::tokenize(std::string_view text, TokenizeMode mode, const std::function<int(const Token&)>& emit) {
  if (text.size() > static_cast<std::size_t>(INT_MAX)) text = text.substr(0, static_cast<std::size_t>(INT_MAX));
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  auto at = [&](std::size_t i, char32_t& cp) { return decode(p + i, n - i, cp); };

  std::size_t i = 0;
  while (i < n) {
    char32_t cp;
    std::size_t len = at(i, cp);
    if (!starts_word(kind_of(cp))) {
      i += len;
      continue;
    }
    // A compound: one or more parts joined by hyphens, each part a word.
    const std::size_t compound_start = i;
    std::size_t part_end = i;
    m_whole.clear();
    unsigned whole_script = 0;
    int parts = 0, emitted = 0;
    while (true) {
      const std::size_t part_start = i;
      m_raw.clear();
      m_raw += cp;
      std::size_t j = i + len;
      part_end = j;
      while (j < n) {
        char32_t c;
        std::size_t l = at(j, c);
        Kind k = kind_of(c);
        if (k == Kind::letter || k == Kind::digit || k == Kind::mark) {
          if (m_raw.size() < k_max_part) m_raw += c;
          j += l;
          part_end = j;
          continue;
        }
        if (k == Kind::soft_hyphen) {
          // Dropped inside a word ("пере\u00ADнос" is "перенос"); at its
          // edge it separates, like any other invisible character.
          std::size_t s = j + l;
          char32_t after = k_invalid;
          std::size_t after_len = 0;
          while (s < n) {
            after_len = at(s, after);
            if (kind_of(after) != Kind::soft_hyphen) break;
            s += after_len;
          }
          if (s < n && starts_word(kind_of(after))) {
            j = s;
            continue;
          }
        }
        break;
      }
      ++parts;
      const unsigned script = normalise();
      if (m_whole.size() < k_max_term + 4) m_whole.append(m_word, 0, k_max_term + 4 - m_whole.size());
      whole_script |= script;
      if (!is_stop_word(m_word)) {
        ++emitted;
        auto main = stem(m_word, script);
        Token t{main, static_cast<int>(part_start), static_cast<int>(part_end), false};
        if (int rc = emit(t)) return rc;
        if (mode == TokenizeMode::document && script == k_cyrillic &&
            utf8proc_isupper(static_cast<utf8proc_int32_t>(m_raw[0])))
          if (int rc = emit_surname(std::string(main), part_start, part_end, emit)) return rc;
      }

      // A hyphen between two word characters joins another part.
      i = j;
      if (i < n) {
        char32_t h;
        std::size_t hl = at(i, h);
        if (kind_of(h) == Kind::hyphen && i + hl < n) {
          len = at(i + hl, cp);
          if (starts_word(kind_of(cp))) {
            i += hl;
            continue;
          }
        }
      }
      break;
    }
    // A document also holds the compound written whole, at the place of its
    // last part, so that "мастеркласс" finds "мастер-класс"; a query keeps
    // the parts only, so that "мастер-класс" is their phrase. When every
    // part was a stop word ("из-за") the whole takes a place of its own.
    if (parts > 1 && mode == TokenizeMode::document) {
      Token t{stem(m_whole, whole_script), static_cast<int>(compound_start), static_cast<int>(part_end), emitted > 0};
      if (int rc = emit(t)) return rc;
    }
  }
  return 0;
}

// Snowball takes the -ов/-ев/-ин of a Russian surname for an ending in one
// form and not in another: "Исаев" stems to "иса", "Исаева" to "исаев". A
// capitalised word of that shape also gives, in documents, its base and the
// base's stem at the same place, so that a query in any form finds it.
int Tokenizer::emit_surname(const std::string& main, std::size_t start, std::size_t end,
                            const std::function<int(const Token&)>& emit) {
  static constexpr std::string_view k_suffixes[] = {"ов", "ев", "ин", "ын"};
  static constexpr std::string_view k_endings[] = {"", "а", "у", "ым", "ой", "ом", "е", "ы", "ых", "ыми"};
  std::string_view w = m_word;
  for (auto ending : k_endings) {
    if (w.size() <= ending.size() || w.substr(w.size() - ending.size()) != ending) continue;
    auto base = w.substr(0, w.size() - ending.size());
    for (auto suffix : k_suffixes) {
      // At least three letters before the suffix (Cyrillic letters are two bytes).
      if (base.size() < suffix.size() + 6 || base.substr(base.size() - suffix.size()) != suffix) continue;
      m_surname.assign(base);
      std::string base_stem(stem(m_surname, k_cyrillic));
      for (const std::string& extra : {m_surname, base_stem}) {
        if (extra == main) continue;
        Token t{extra, static_cast<int>(start), static_cast<int>(end), true};
        if (int rc = emit(t)) return rc;
      }
      return 0;
    }
  }
  return 0;
}

std::vector<std::string> tokens(std::string_view text, TokenizeMode mode) {
  Tokenizer tokenizer;
  std::vector<std::string> out;
  tokenizer.tokenize(text, mode, [&](const Token& t) {
    out.emplace_back(t.text);
    return 0;
  });
  return out;
}

std::vector<std::string> query_terms(std::string_view word) {
  return tokens(word, TokenizeMode::query);
}

}  // namespace setevoe::core::search
