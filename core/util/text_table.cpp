// A table of text for a terminal.
#include "core/util/text_table.hpp"

#include <algorithm>

#include "core/util/text.hpp"

namespace setevoe::util {

TextTable& TextTable::add(std::string_view cell) {
  auto begin = m_text.size();
  m_text += cell;
  for (auto i = m_text.find('\n', begin); i != std::string::npos; i = m_text.find('\n', i + 1)) m_text[i] = ' ';
  m_ends.push_back(m_text.size());
  return *this;
}

std::string_view TextTable::cell(std::size_t r, std::size_t c) const {
  auto i = r * m_header.size() + c;
  if (c >= m_header.size() || i >= m_ends.size()) return {};
  auto begin = i == 0 ? 0 : m_ends[i - 1];
  return std::string_view(m_text).substr(begin, m_ends[i] - begin);
}

void TextTable::write(std::ostream& out, std::size_t width, bool bold) const {
  auto columns = m_header.size();
  auto count = rows();
  // Each cell measured once.
  std::vector<std::size_t> widths(columns);
  std::vector<std::size_t> cell_widths;
  cell_widths.reserve(count * columns);
  for (std::size_t c = 0; c < columns; ++c) widths[c] = display_width(m_header[c]);
  for (std::size_t r = 0; r < count; ++r)
    for (std::size_t c = 0; c < columns; ++c) {
      auto w = display_width(cell(r, c));
      cell_widths.push_back(w);
      widths[c] = std::max(widths[c], w);
    }
  // Narrow the widest column until the table fits.
  if (width > 0) {
    auto total = [&] {
      std::size_t t = 0;
      for (auto w : widths) t += w + 2;
      return t;
    };
    while (total() > width) {
      auto widest = std::max_element(widths.begin(), widths.end());
      if (*widest <= 8) break;
      --*widest;
    }
  }
  std::string line;
  auto write_row = [&](auto value_of, const std::size_t* measured, bool is_header) {
    line.clear();
    if (is_header && bold) line += "\033[1m";
    for (std::size_t c = 0; c < columns; ++c) {
      std::string_view value = value_of(c);
      auto w = measured ? measured[c] : display_width(value);
      std::string fitted;
      if (w > widths[c]) {
        fitted = fit_width(value, widths[c]);
        value = fitted;
        w = display_width(fitted);
      }
      if (m_right[c] && !is_header) line.append(widths[c] - w, ' ');
      line += value;
      if (c + 1 < columns) line.append((m_right[c] && !is_header ? 0 : widths[c] - w) + 2, ' ');
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    if (is_header && bold) line += "\033[0m";
    line += '\n';
    out << line;
  };
  write_row([&](std::size_t c) { return std::string_view(m_header[c]); }, nullptr, true);
  for (std::size_t r = 0; r < count; ++r)
    write_row([&](std::size_t c) { return cell(r, c); }, cell_widths.data() + r * columns, false);
}

}  // namespace setevoe::util
