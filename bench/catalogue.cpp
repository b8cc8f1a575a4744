// The catalogue of the search benchmark (bench/catalogue.sh): a hub with 500
// orgs, 20,000 people and N methodological products written through the
// real write path (core::add_product in a core::Writer), committed every
// 10,000 products, each commit indexing them as setevoe does. The text reads
// as Russian-ish: Zipf-like draws from a domain vocabulary (school
// methodology, bench/domain-words.txt, in its word forms) and from the word
// forms of the hunspell-ru dictionary (a long tail of rare forms). A fixed
// seed: the same N gives the same catalogue (ids and times aside).
//
//   bench_catalogue DB WORDS N [--domain FILE] [--queries FILE]
//
// DB must not exist. WORDS: dictionary word forms, one a line (bench/
// catalogue.sh makes them with unmunch). --queries writes the words chosen
// for the benchmark's queries (a rare word, a rare form of a common word, a
// frequent author surname) as KEY=VALUE lines. Prints the times taken, as
// KEY=VALUE lines too: the registry, the products (writing them through
// add_product; the commits, which index them), the whole run.
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <fstream>
#include <iostream>
#include <map>
#include <random>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "core/db.hpp"
#include "core/member.hpp"
#include "core/node.hpp"
#include "core/product.hpp"
#include "core/replica.hpp"
#include "core/search/tokenize.hpp"

#ifndef SETEVOE_BENCH_DOMAIN
#define SETEVOE_BENCH_DOMAIN "bench/domain-words.txt"
#endif

using namespace setevoe;

namespace {

constexpr int k_orgs = 500;
constexpr int k_people = 20000;
constexpr int k_batch = 10000;
constexpr std::uint64_t k_seed = 20260901;

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// Draws made from the generator's own arithmetic on mt19937_64's output, so
// that they do not depend on how the library implements distributions.
class Random {
 public:
  explicit Random(std::uint64_t seed) : m_gen(seed) {}
  std::size_t below(std::size_t n) { return static_cast<std::size_t>(m_gen() % n); }
  int between(int lo, int hi) { return lo + static_cast<int>(below(static_cast<std::size_t>(hi - lo + 1))); }
  double unit() { return static_cast<double>(m_gen() >> 11) * 0x1.0p-53; }
  bool chance(double p) { return unit() < p; }
  template <class T>
  const T& pick(const std::vector<T>& v) {
    return v[below(v.size())];
  }

 private:
  std::mt19937_64 m_gen;
};

// Zipf–Mandelbrot over ranks 0..n-1: P(r) ∝ 1 / (r + 1 + q)^s.
class Zipf {
 public:
  Zipf(std::size_t n, double s, double q) : m_cdf(n) {
    double sum = 0;
    for (std::size_t r = 0; r < n; ++r) m_cdf[r] = sum += 1.0 / std::pow(static_cast<double>(r) + 1 + q, s);
    for (auto& c : m_cdf) c /= sum;
  }
  std::size_t operator()(Random& rnd) const {
    auto it = std::lower_bound(m_cdf.begin(), m_cdf.end(), rnd.unit());
    return std::min<std::size_t>(static_cast<std::size_t>(it - m_cdf.begin()), m_cdf.size() - 1);
  }

 private:
  std::vector<double> m_cdf;
};

std::vector<std::string> read_lines(const std::string& path, bool comments) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::vector<std::string> out;
  for (std::string line; std::getline(in, line);) {
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
    if (line.empty() || (comments && line[0] == '#')) continue;
    out.push_back(line);
  }
  return out;
}

// The first letter in upper case: Cyrillic (а..я, ё) and ASCII.
std::string capitalised(std::string s) {
  if (s.empty()) return s;
  auto b0 = static_cast<unsigned char>(s[0]);
  if (b0 >= 'a' && b0 <= 'z') {
    s[0] = static_cast<char>(b0 - 32);
  } else if (s.size() >= 2) {
    unsigned cp = ((b0 & 0x1Fu) << 6) | (static_cast<unsigned char>(s[1]) & 0x3Fu);
    if (b0 >= 0xC0 && b0 < 0xE0) {
      if (cp >= 0x430 && cp <= 0x44F)
        cp -= 0x20;
      else if (cp == 0x451)
        cp = 0x401;
      s[0] = static_cast<char>(0xC0 | (cp >> 6));
      s[1] = static_cast<char>(0x80 | (cp & 0x3F));
    }
  }
  return s;
}

std::size_t word_count(const std::string& s) {
  return static_cast<std::size_t>(std::count(s.begin(), s.end(), ' ')) + 1;
}

struct Subject {
  const char* name;  // as stored
  const char* dative;  // "по математике"
  unsigned levels;     // bits: 1 noo, 2 ooo, 4 soo, 8 do, 16 dop
};

const std::vector<Subject> k_subjects = {
    {"математика", "математике", 7},
    {"русский язык", "русскому языку", 7},
    {"литература", "литературе", 6},
    {"литературное чтение", "литературному чтению", 1},
    {"окружающий мир", "окружающему миру", 1},
    {"английский язык", "английскому языку", 7},
    {"чеченский язык", "чеченскому языку", 7},
    {"чеченская литература", "чеченской литературе", 7},
    {"алгебра", "алгебре", 6},
    {"геометрия", "геометрии", 6},
    {"история", "истории", 6},
    {"обществознание", "обществознанию", 6},
    {"география", "географии", 6},
    {"биология", "биологии", 6},
    {"химия", "химии", 6},
    {"физика", "физике", 6},
    {"информатика", "информатике", 6 | 16},
    {"физическая культура", "физической культуре", 7 | 16},
    {"музыка", "музыке", 3 | 8 | 16},
    {"изобразительное искусство", "изобразительному искусству", 3 | 8 | 16},
    {"технология", "технологии", 3 | 16},
    {"ОБЗР", "ОБЗР", 6},
    {"развитие речи", "развитию речи", 8},
    {"ФЭМП", "ФЭМП", 8},
    {"робототехника", "робототехнике", 2 | 16},
};

// Product types with their weights in the catalogue (all twelve of them).
const std::vector<std::pair<const char*, int>> k_types = {
    {"lesson-plan", 22},      {"presentation", 16},   {"recommendations", 12}, {"kim", 10},
    {"lesson-video", 8},      {"work-programme", 7},  {"project", 7},          {"assessment-sheet", 5},
    {"best-practice", 5},     {"extracurricular-video", 4}, {"other", 3},     {"regulatory", 1},
};

const std::vector<std::string> k_type_openings = {
    "Технологическая карта урока", "Конспект урока", "Методическая разработка", "Методические рекомендации",
    "Презентация к уроку", "Контрольно-измерительные материалы", "Рабочая программа", "Проект",
    "Сценарий внеурочного занятия", "Мастер-класс", "Из опыта работы", "Видеозапись урока",
};

const std::vector<const char*> k_directions = {"quality",    "gifted",     "communication", "developmental",
                                               "profile",    "distance",   "technology",    "special-needs"};

const std::vector<std::string> k_surnames = {
    "Абдурахманов", "Алиев",     "Ахмадов",   "Багаев",    "Бисултанов", "Вахидов",    "Висаитов",   "Гайсултанов",
    "Гериханов",    "Дагаев",    "Даудов",    "Джамалдинов", "Закриев",  "Зубайраев",  "Ибрагимов",  "Идрисов",
    "Исаев",        "Исмаилов",  "Кагерманов", "Лечиев",   "Магомадов",  "Мазаев",     "Мальсагов",  "Мусаев",
    "Мурдалов",     "Нальгиев",  "Нурадилов", "Садулаев",  "Сайдуллаев", "Темирханов", "Умаров",     "Усманов",
    "Хаджиев",      "Хасанов",   "Хамзатов",  "Цицаев",    "Чараев",     "Шамсудинов", "Эдилов",     "Юсупов",
    "Яхьяев",       "Иванов",    "Петров",    "Смирнов",   "Кузнецов",   "Соколов",    "Гаджиев",    "Тагиров",
};
const std::vector<std::pair<std::string, std::string>> k_male = {
    {"Ахмед", "Ахмедович"},   {"Адам", "Адамович"},     {"Аслан", "Асланович"},   {"Ибрагим", "Ибрагимович"},
    {"Ислам", "Исламович"},   {"Магомед", "Магомедович"}, {"Руслан", "Русланович"}, {"Саид", "Саидович"},
    {"Тимур", "Тимурович"},   {"Умар", "Умарович"},     {"Хасан", "Хасанович"},   {"Шамиль", "Шамилевич"},
    {"Арби", "Арбиевич"},     {"Бислан", "Бисланович"}, {"Зелимхан", "Зелимханович"}, {"Иван", "Иванович"},
};
const std::vector<std::string> k_female = {"Амина", "Айшат", "Зарема", "Луиза",  "Малика", "Марьям", "Петимат",
                                           "Седа",  "Хава",  "Хеда",   "Элина",  "Зулай",  "Мадина", "Елена",
                                           "Ольга", "Марина"};
const std::vector<std::string> k_places = {
    "г. Гудермес",       "с. Ойсхара",      "с. Кади-Юрт",      "с. Брагуны",       "с. Джалка",
    "с. Герзель-Аул",    "с. Комсомольское", "с. Иласхан-Юрт",  "с. Хангиш-Юрт",    "с. Бильтой-Юрт",
    "с. Энгель-Юрт",     "с. Нижний-Нойбер", "с. Верхний-Нойбер", "с. Мелчхи",      "с. Шуани",
    "с. Новый-Энгеной",  "с. Азамат-Юрт",   "с. Кошкельды",     "с. Виноградное",   "с. Мелчхи-Юрт",
};

struct Vocabulary {
  std::vector<std::string> domain, dictionary;
  Zipf domain_rank, dictionary_rank;
  std::vector<std::uint32_t> written;  // times each dictionary form was written
  std::size_t function_words = 0;      // the domain list opens with prepositions and conjunctions

  Vocabulary(std::vector<std::string> d, std::vector<std::string> w)
      : domain(std::move(d)),
        dictionary(std::move(w)),
        domain_rank(domain.size(), 1.0, 1.0),
        dictionary_rank(dictionary.size(), 1.0, 50.0),
        written(dictionary.size()) {
    while (function_words < domain.size() && domain[function_words] != "урок") ++function_words;
  }

  // One word (or a domain phrase): domain and dictionary mixed, so that the
  // text is about school methodology and full of other Russian words.
  std::string word(Random& rnd) {
    if (rnd.chance(0.55)) return domain[domain_rank(rnd)];
    auto r = dictionary_rank(rnd);
    ++written[r];
    return dictionary[r];
  }
  // A run of words of about `n` words (a phrase counts its words).
  std::string words(Random& rnd, std::size_t n) {
    std::string out;
    std::size_t have = 0;
    while (have < n) {
      auto w = word(rnd);
      have += word_count(w);
      out += (out.empty() ? "" : " ") + w;
    }
    return out;
  }
};

struct Person {
  std::string id;
  std::string surname;
};

}  // namespace

int main(int argc, char** argv) try {
  if (argc < 4) {
    std::cerr << "usage: bench_catalogue DB WORDS N [--domain FILE] [--queries FILE]\n";
    return 64;
  }
  std::string db_path = argv[1], words_path = argv[2], domain_path = SETEVOE_BENCH_DOMAIN, queries_path;
  long n = std::atol(argv[3]);
  for (int i = 4; i + 1 < argc; i += 2) {
    std::string opt = argv[i];
    if (opt == "--domain")
      domain_path = argv[i + 1];
    else if (opt == "--queries")
      queries_path = argv[i + 1];
    else
      throw std::runtime_error("unknown option " + opt);
  }
  if (n < 1) throw std::runtime_error("N must be a positive number of products");

  Random rnd(k_seed);
  auto dictionary = read_lines(words_path, false);
  // A fixed order of the dictionary forms (its alphabetical order is no
  // frequency): which forms are frequent is a draw too.
  std::sort(dictionary.begin(), dictionary.end());
  for (std::size_t i = dictionary.size(); i > 1; --i) std::swap(dictionary[i - 1], dictionary[rnd.below(i)]);
  Vocabulary vocab(read_lines(domain_path, true), std::move(dictionary));

  auto t_all = std::chrono::steady_clock::now();
  core::InitOptions init;
  init.name = "Бенчмарк: каталог";
  init.role = core::Role::hub;
  core::init_node(db_path, init);
  auto db = core::Db::open(db_path, core::OpenMode::existing);

  // ---- The registry: 500 orgs, 20,000 people in them.
  auto t_registry = std::chrono::steady_clock::now();
  std::vector<std::string> workplaces;  // orgs people work in (no groups)
  std::vector<Person> people;
  {
    core::Writer w(db);
    for (int i = 0; i < k_orgs; ++i) {
      core::OrgInput o;
      o.check_duplicate = false;
      const auto& place = k_places[static_cast<std::size_t>(i) % k_places.size()];
      int num = i / static_cast<int>(k_places.size()) + 1;
      bool group = false;
      if (i % 20 < 12) {
        o.kind = "school";
        o.name = fmt::format("МБОУ «СОШ № {} {}»", num, place);
        o.short_name = fmt::format("СОШ № {} {}", num, place);
      } else if (i % 20 < 17) {
        o.kind = "kindergarten";
        o.name = fmt::format("МБДОУ «Детский сад № {} {}»", num, place);
      } else if (i % 20 < 18) {
        o.kind = "additional-education";
        o.name = fmt::format("МБУ ДО «Центр детского творчества № {} {}»", num, place);
      } else {
        o.kind = i % 20 == 18 ? "methodological-association" : "creative-group";
        o.name = fmt::format("{} учителей ({}) № {}", i % 20 == 18 ? "РМО" : "Творческая группа",
                             k_subjects[static_cast<std::size_t>(i) % k_subjects.size()].name, i);
        group = true;
      }
      auto id = core::add_org(w, o);
      if (!group) workplaces.push_back(id);
    }
    for (int i = 0; i < k_people; ++i) {
      core::PersonInput p;
      p.check_duplicate = false;
      const auto& surname = rnd.pick(k_surnames);
      if (rnd.chance(0.7)) {  // most teachers are women
        const auto& father = rnd.pick(k_male);
        auto patronymic = father.second.substr(0, father.second.size() - 4) + "вна";  // -вич -> -вна
        p.name = fmt::format("{}а {} {}", surname, rnd.pick(k_female), patronymic);
      } else {
        p.name = fmt::format("{} {} {}", surname, rnd.pick(k_male).first, rnd.pick(k_male).second);
      }
      p.org = workplaces[rnd.below(workplaces.size())];
      p.position = "учитель";
      people.push_back({core::add_person(w, p), surname});
    }
    w.commit();
  }
  double registry_s = seconds_since(t_registry);

  // ---- The products, committed (and so indexed) every 10,000.
  std::vector<const char*> type_codes;
  for (const auto& [code, weight] : k_types)
    for (int i = 0; i < weight; ++i) type_codes.push_back(code);
  Zipf author_rank(people.size(), 0.8, 10.0);  // some teachers write much more than others
  Zipf subject_rank(k_subjects.size(), 0.7, 1.0);
  std::map<std::string, long> by_surname;
  double write_s = 0, commit_s = 0;
  auto t_products = std::chrono::steady_clock::now();
  for (long done = 0; done < n;) {
    auto t_batch = std::chrono::steady_clock::now();
    core::Writer w(db);
    long end = std::min(n, done + k_batch);
    for (; done < end; ++done) {
      core::ProductFields f;
      f.type = rnd.pick(type_codes);
      // The level, then a subject taught there, then grades within the level.
      static const std::vector<std::pair<const char*, unsigned>> levels = {
          {"noo", 1}, {"noo", 1}, {"noo", 1}, {"ooo", 2}, {"ooo", 2}, {"ooo", 2}, {"ooo", 2}, {"soo", 4}, {"soo", 4},
          {"do", 8},  {"dop", 16}};
      const auto& level = rnd.pick(levels);
      const Subject* subject = nullptr;
      while (!subject || !(subject->levels & level.second)) subject = &k_subjects[subject_rank(rnd)];
      f.subject = subject->name;
      f.levels = std::vector<std::string>{level.first};
      if (level.second == 2 && rnd.chance(0.15)) f.levels->push_back("soo");
      int lo = 0, hi = 0;
      if (level.second == 1) lo = 1, hi = 4;
      if (level.second == 2) lo = 5, hi = 9;
      if (level.second == 4) lo = 10, hi = 11;
      if (level.second == 16 && rnd.chance(0.5)) lo = 1, hi = 11;
      if (lo) {
        int from = rnd.between(lo, hi);
        int to = std::min(hi, from + (rnd.chance(0.6) ? 0 : rnd.between(1, 2)));
        f.grades = from == to ? std::to_string(from) : fmt::format("{}-{}", from, to);
      }

      // Title: 4–12 words, often opened by what the product is, often saying
      // the subject and the grade.
      std::size_t title_words = static_cast<std::size_t>(rnd.between(4, 12));
      std::string title;
      if (rnd.chance(0.4)) title = rnd.pick(k_type_openings);
      std::string tail;
      if (rnd.chance(0.5)) tail += fmt::format(" по {}", subject->dative);
      if (lo && rnd.chance(0.3)) tail += fmt::format(" в {} классе", rnd.between(lo, hi));
      auto have = (title.empty() ? 0 : word_count(title)) + (tail.empty() ? 0 : word_count(tail) - 1);
      if (have < title_words || title.empty()) {
        auto body = vocab.words(rnd, have < title_words ? std::max<std::size_t>(title_words - have, 2) : 2);
        title = title.empty() ? body : title + " «" + body + "»";
      }
      f.title = capitalised(title + tail);

      // Annotation: 20–80 words in sentences of 5–14 words.
      auto annotation_words = static_cast<std::size_t>(rnd.between(20, 80));
      std::string annotation;
      for (std::size_t have_words = 0; have_words < annotation_words;) {
        auto len = std::min<std::size_t>(static_cast<std::size_t>(rnd.between(5, 14)), annotation_words - have_words);
        auto sentence = vocab.words(rnd, std::max<std::size_t>(len, 3));
        if (rnd.chance(0.3)) {  // a comma somewhere after the second word
          auto sp = sentence.find(' ', sentence.find(' ') + 1);
          if (sp != std::string::npos) sentence.insert(sp, ",");
        }
        have_words += word_count(sentence);
        annotation += (annotation.empty() ? "" : " ") + capitalised(sentence) + ".";
      }
      f.annotation = annotation;

      // Keywords: 3–6 domain words or phrases.
      std::string keywords;
      for (int k = rnd.between(3, 6); k > 0; --k) {
        std::size_t r = 0;
        while (r < vocab.function_words) r = vocab.domain_rank(rnd);  // no prepositions alone
        keywords += (keywords.empty() ? "" : ", ") + vocab.domain[r];
      }
      f.keywords = keywords;

      // 1–3 authors, the first one's org is the product's.
      std::vector<std::pair<std::string, std::string>> authors;
      for (int a = rnd.chance(0.6) ? 1 : rnd.between(2, 3); a > 0; --a) {
        const auto& person = people[author_rank(rnd)];
        if (std::any_of(authors.begin(), authors.end(), [&](const auto& x) { return x.first == person.id; }))
          continue;
        authors.push_back({person.id, authors.empty() ? "author" : "co-author"});
        ++by_surname[person.surname];
      }
      f.authors = authors;
      std::vector<std::string> directions{k_directions[rnd.below(k_directions.size())]};
      if (rnd.chance(0.3)) directions.push_back(k_directions[rnd.below(k_directions.size())]);
      f.directions = directions;
      if (rnd.chance(0.05)) f.language = "ce";
      core::add_product(w, f);
    }
    auto t_commit = std::chrono::steady_clock::now();
    write_s += std::chrono::duration<double>(t_commit - t_batch).count();
    w.commit();
    commit_s += seconds_since(t_commit);
  }
  double products_s = seconds_since(t_products);
  double all_s = seconds_since(t_all);

  // ---- Words for the benchmark's queries, chosen from what was written,
  // by the documents their stem is in (the index's own vocabulary).
  if (!queries_path.empty()) {
    db.exec("CREATE VIRTUAL TABLE temp.bench_vocab USING fts5vocab(main, 'product_fts', 'row')");
    core::Stmt df(db, "SELECT doc FROM temp.bench_vocab WHERE term = ?");
    auto docs = [&](const std::string& word) -> std::int64_t {
      auto terms = core::search::query_terms(word);
      if (terms.size() != 1) return -1;
      df.reset();
      df.bind(1, terms[0]);
      return df.step() ? df.column_int(0) : 0;
    };
    auto plain = [](const std::string& w) { return w.size() >= 12 && w.find('-') == std::string::npos; };
    // A rare word: written once or twice, its stem in 2 to 5 products.
    std::string rare;
    std::int64_t rare_docs = 0;
    for (std::size_t i = vocab.dictionary.size() / 2; i < vocab.dictionary.size() && rare.empty(); ++i) {
      if (vocab.written[i] < 1 || vocab.written[i] > 2 || !plain(vocab.dictionary[i])) continue;
      if (auto d = docs(vocab.dictionary[i]); d >= 2 && d <= 5) rare = vocab.dictionary[i], rare_docs = d;
    }
    // A rare form of a common word: a form never written (neither drawn
    // from the dictionary nor in the domain vocabulary) whose stem is that
    // of a domain word found in 1,000 products or more, and about as long
    // as that word (so «пособиями» of «пособие», not «пособившею» of the
    // verb that the stemmer cuts to the same stem).
    std::unordered_set<std::string> domain_words;
    std::unordered_map<std::string, std::vector<std::size_t>> domain_stems;  // stem -> lengths of its words
    for (const auto& d : vocab.domain)
      for (std::size_t from = 0, to; from < d.size(); from = to + 1) {
        to = std::min(d.find(' ', from), d.size());
        auto word = d.substr(from, to - from);
        domain_words.insert(word);
        for (const auto& t : core::search::query_terms(word)) domain_stems[t].push_back(word.size());
      }
    std::string form;
    std::int64_t form_docs = 0;
    for (std::size_t i = 0; i < vocab.dictionary.size() && form.empty(); ++i) {
      const auto& w = vocab.dictionary[i];
      if (vocab.written[i] != 0 || w.size() < 12 || w.find('-') != std::string::npos || domain_words.count(w))
        continue;
      auto terms = core::search::query_terms(w);
      if (terms.size() != 1) continue;
      auto stem = domain_stems.find(terms[0]);
      // Within two letters (four bytes of Cyrillic) of a domain word's length.
      if (stem == domain_stems.end() ||
          std::none_of(stem->second.begin(), stem->second.end(),
                       [&](std::size_t len) { return w.size() <= len + 4 && len <= w.size() + 4; }))
        continue;
      if (auto d = docs(w); d >= 1000) form = w, form_docs = d;
    }
    auto surname = std::max_element(by_surname.begin(), by_surname.end(),
                                     [](const auto& a, const auto& b) { return a.second < b.second; });
    std::ofstream q(queries_path);
    q << "rare_word=" << rare << "\nrare_word_docs=" << rare_docs << "\nrare_form=" << form
      << "\nrare_form_docs=" << form_docs << "\nsurname=" << surname->first << "\nsurname_products=" << surname->second
      << "\n";
  }
  db.exec("PRAGMA wal_checkpoint(TRUNCATE)");

  // KEY=VALUE lines, seconds: bench/catalogue.sh reads them.
  fmt::print("orgs={}\npeople={}\nregistry_s={:.2f}\nproducts={}\nproducts_s={:.2f}\nwrite_s={:.2f}\ncommit_s={:.2f}\n"
             "total_s={:.2f}\n",
             k_orgs, k_people, registry_s, n, products_s, write_s, commit_s, all_s);
  return 0;
} catch (const std::exception& e) {
  std::cerr << "bench_catalogue: " << e.what() << '\n';
  return 70;
}
