// The words of a text as full-text search sees them: the tokenizer "setevoe"
// that SQLite's FTS5 calls (core/search/fts5.cpp, and the loadable extension
// in ext/). Pure C++ on utf8proc and Snowball (libstemmer); knows nothing of
// SQLite, so that the extension module can link it without setevoe_core.
//
// A word is a run of letters, digits and the combining marks that follow
// them. Each word is normalised (NFKC, case folding, ё → е, the look-alikes
// of the Chechen palochka → ӏ), dropped when it is a stop word, and stemmed
// (Russian or English Snowball) when it is written in one of those scripts.
// Words joined by hyphens ("мастер-класс") give their parts and, in
// documents, the whole written together at the position of the last part.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

struct sb_stemmer;

namespace setevoe::core::search {

// What the text is: a document being indexed (or read for highlight()), or
// the words of a MATCH query.
enum class TokenizeMode { document, query };

// One token: the term and where its word is in the input.
struct Token {
  std::string_view text;  // the normalised, stemmed term (valid only during the call)
  int start;              // byte offset of the word's first byte in the input
  int end;                // byte offset just after the word
  bool colocated;         // same position as the previous token (a compound written whole)
};

// Owns one Russian and one English stemmer and the buffers reused from word
// to word. Not thread-safe: FTS5 makes one per table and connection.
class Tokenizer {
 public:
  Tokenizer();
  ~Tokenizer();
  Tokenizer(const Tokenizer&) = delete;
  Tokenizer& operator=(const Tokenizer&) = delete;

  // Calls emit for each token in order; stops and returns emit's nonzero
  // return value (SQLite error codes pass through), 0 otherwise. Any input
  // is accepted: invalid UTF-8 separates words. Input beyond INT_MAX bytes
  // is ignored (offsets are ints, as in FTS5). Throws std::bad_alloc when
  // memory runs out.
  int tokenize(std::string_view text, TokenizeMode mode, const std::function<int(const Token&)>& emit);

 private:
  int emit_surname(const std::string& main, std::size_t start, std::size_t end,
                   const std::function<int(const Token&)>& emit);
  // Fills m_word with the normalised form of the part in m_raw; returns its
  // script (bits of k_cyrillic, k_latin, k_other, k_digit in tokenize.cpp).
  unsigned normalise();
  // The stem of a normalised word, or the word itself when its script has
  // no stemmer; at most 100 bytes.
  std::string_view stem(std::string_view word, unsigned script);

  sb_stemmer* m_russian = nullptr;
  sb_stemmer* m_english = nullptr;
  std::u32string m_raw;     // the code points of the current word part as written (no soft hyphens; at most 256)
  std::string m_utf8;       // m_raw after the look-alikes are replaced, for utf8proc
  std::vector<int> m_norm;  // utf8proc's decomposition of m_utf8
  std::string m_word;       // the normalised part
  std::string m_whole;      // the normalised parts of a compound, joined (cut short)
  std::string m_surname;    // the base of a surname in -ов/-ев/-ин, for its other forms
};

// The tokens of a text, colocated ones included in order (for tests and the
// query builder).
std::vector<std::string> tokens(std::string_view text, TokenizeMode mode = TokenizeMode::document);

// The normalised, stemmed terms of a user's word as the query side sees it
// (empty for a stop word or no word characters).
std::vector<std::string> query_terms(std::string_view word);

}  // namespace setevoe::core::search
