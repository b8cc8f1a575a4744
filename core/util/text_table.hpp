// A table of text for a terminal: columns as wide as their widest cell,
// narrowed (with "…") to fit a width, two spaces between them. The cells
// are kept in one buffer: a year's plan is a hundred thousand cells.
#pragma once

#include <cstddef>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace setevoe::util {

class TextTable {
 public:
  explicit TextTable(std::vector<std::string> header) : m_header(std::move(header)), m_right(m_header.size()) {}
  // The next cell, row after row (a line break shows as a space).
  TextTable& add(std::string_view cell);
  // Column c's cells flush right (numbers).
  void align_right(std::size_t c) {
    if (c < m_right.size()) m_right[c] = true;
  }
  void reserve(std::size_t rows) { m_ends.reserve(rows * m_header.size()); }
  const std::vector<std::string>& header() const { return m_header; }
  std::size_t rows() const { return m_header.empty() ? 0 : m_ends.size() / m_header.size(); }
  // Row r's column c: empty past the cells added.
  std::string_view cell(std::size_t r, std::size_t c) const;

  // Writes the header and the rows, one line each, fitted to `width`
  // columns of the terminal (0: no limit; a column is never narrowed below
  // 8); `bold` puts the header in bold (an ANSI escape).
  void write(std::ostream& out, std::size_t width, bool bold = false) const;

 private:
  std::vector<std::string> m_header;
  std::vector<bool> m_right;
  std::string m_text;
  std::vector<std::size_t> m_ends;
};

}  // namespace setevoe::util
