// analyze, explain, review, timeline, evaluate: the Convention coding as a user sees it.
#include <algorithm>
#include <iomanip>
#include <iostream>
#include <sstream>

#include "cli.hpp"
#include "hrtrack/analysis/analysis.hpp"
#include "hrtrack/analysis/json.hpp"

namespace hrtrack::app {
namespace {

using analysis::Answer;
using analysis::AnswerStatus;
using nlohmann::json;

std::unique_ptr<analysis::Engine> open_engine(corpus::Store& store, const Options& o) {
  analysis::EngineConfig config;
  config.data_dir = o.data;
  auto engine = analysis::Engine::open(store, config);
  if (!engine) throw UserError(engine.error().message);
  return std::move(engine.value());
}

template <class T>
T need(Result<T> r) {
  if (!r) throw UserError(r.error().message);
  return std::move(r.value());
}

std::string fixed(double x, int digits = 2) {
  std::ostringstream s;
  s << std::fixed << std::setprecision(digits) << x;
  return s.str();
}

// "read: A (en, 2020-01-01), B (en, 2021-02-03)", at most `most` named.
std::string read_list(const std::vector<std::string>& read, std::size_t most = 4) {
  std::string out;
  for (std::size_t i = 0; i < read.size() && i < most; ++i) out += (i ? ", " : "") + read[i];
  if (read.size() > most) out += ", +" + std::to_string(read.size() - most) + " more";
  return out;
}

void print_answer(const Answer& a, bool quotes) {
  if (!a.not_assessed.empty()) {
    std::cout << "  " << std::left << std::setw(27) << a.provision << "not assessed: " << a.not_assessed << '\n';
    if (!a.read.empty()) std::cout << "      read: " << read_list(a.read) << '\n';
    return;
  }
  std::cout << "  " << std::left << std::setw(27) << a.provision << std::setw(11) << analysis::to_string(a.status)
            << fixed(a.score, 1) << "  conf " << fixed(a.confidence) << (a.review ? "  reviewed by " + a.review->by : "")
            << (a.needs_review ? "  NEEDS REVIEW" : "") << '\n';
  for (const auto& e : a.evidence) {
    std::cout << "      " << e.section_id << "  [" << e.rule << "]";
    if (quotes) std::cout << "\n        \"" << e.quote << '"';
    std::cout << '\n';
  }
  if (a.status == AnswerStatus::silent && !a.read.empty()) std::cout << "      read: " << read_list(a.read) << '\n';
}

json score_json(const analysis::JurisdictionScore& s) {
  if (!s.assessed)
    return {{"jurisdiction", s.jurisdiction}, {"assessed", false}, {"not_assessed", s.not_assessed}, {"score", nullptr},
            {"coverage", nullptr}, {"rank", nullptr}, {"rank_min", nullptr}, {"rank_max", nullptr}};
  return {{"jurisdiction", s.jurisdiction}, {"assessed", true}, {"score", s.score}, {"coverage", s.coverage},
          {"rank", s.rank}, {"rank_min", s.rank_min}, {"rank_max", s.rank_max}};
}

void analyze_command(CLI::App& app, Options& o) {
  auto* cmd = app.add_subcommand("analyze", "Code each jurisdiction against the Convention's provisions");
  struct Args {
    std::string jurisdiction, as_of;
    bool quotes = false;
  };
  auto a = std::make_shared<Args>();
  cmd->add_option("--jurisdiction", a->jurisdiction, "One jurisdiction (ISO code); default all");
  cmd->add_option("--as-of", a->as_of, "The law in force on this date (YYYY-MM-DD; default the latest)");
  cmd->add_flag("--quotes", a->quotes, "Print the quoted sentences");
  cmd->add_flag("--json", o.json, "JSON output");
  cmd->callback([a, &o] {
    if (!a->as_of.empty()) check_date(a->as_of, "--as-of");
    auto store = open_store(o);
    auto engine = open_engine(*store, o);
    const std::vector<std::string> codes = a->jurisdiction.empty() ? std::vector<std::string>{}
                                                                   : std::vector<std::string>{a->jurisdiction};
    const auto scores = need(engine->scores(codes, a->as_of));
    json out = json::array();
    bool apart = false;
    // Means over the assessed only: one not assessed has no score to count.
    int assessed = 0;
    double score_sum = 0, coverage_sum = 0;
    for (const auto& s : scores)
      if (s.assessed) {
        ++assessed;
        score_sum += s.score;
        coverage_sum += s.coverage;
      }
    const auto print_mean = [&] {
      if (assessed > 1)
        std::cout << "\nmean of the " << assessed << " assessed: score " << fixed(score_sum / assessed) << "  coverage "
                  << fixed(coverage_sum / assessed) << '\n';
    };
    for (const auto& s : scores) {
      const auto answers = need(engine->analyze(s.jurisdiction, a->as_of));
      // The latest law's timeline is stored too: the web reads it rather than coding every date,
      // and the status changes it finds are events of the status feed.
      if (a->as_of.empty()) need(engine->timeline(s.jurisdiction));
      if (o.json) {
        json list = json::array();
        for (const auto& ans : answers) list.push_back(analysis::to_json(ans));
        json j = score_json(s);
        j["answers"] = list;
        out.push_back(std::move(j));
        continue;
      }
      if (!s.assessed) {
        // Apart from the ranked ones, with no score: no reading is no zero.
        if (!apart) {
          print_mean();
          std::cout << "\nnot assessed (unranked, no score, not in the means):\n";
        }
        apart = true;
        std::cout << s.jurisdiction << "  not assessed: " << s.not_assessed << '\n';
        if (!answers.empty() && !answers.front().read.empty())
          std::cout << "  read: " << read_list(answers.front().read) << '\n';
        continue;
      }
      std::cout << s.jurisdiction << "  score " << fixed(s.score) << "  coverage " << fixed(s.coverage)
                << "  rank " << s.rank << " (" << s.rank_min << "-" << s.rank_max << ")\n";
      for (const auto& ans : answers) print_answer(ans, a->quotes);
    }
    if (!o.json && !apart) print_mean();
    if (o.json) {
      json mean = assessed ? json{{"assessed", assessed}, {"score", score_sum / assessed}, {"coverage", coverage_sum / assessed}}
                           : json{{"assessed", 0}, {"score", nullptr}, {"coverage", nullptr}};
      print_json({{"as_of", a->as_of}, {"jurisdictions", out}, {"mean", mean}});
    }
  });
}

void explain_command(CLI::App& app, Options& o) {
  auto* cmd = app.add_subcommand("explain", "Show how one answer was reached: candidates, rules, graph edges");
  struct Args {
    std::string jurisdiction, provision, as_of;
  };
  auto a = std::make_shared<Args>();
  cmd->add_option("jurisdiction", a->jurisdiction, "ISO code")->required();
  cmd->add_option("provision", a->provision, "Provision id (possession, needle-exchange, ...)")->required();
  cmd->add_option("--as-of", a->as_of, "The law in force on this date (YYYY-MM-DD)");
  cmd->add_flag("--json", o.json, "JSON output");
  cmd->callback([a, &o] {
    if (!a->as_of.empty()) check_date(a->as_of, "--as-of");
    auto store = open_store(o);
    auto engine = open_engine(*store, o);
    const auto x = need(engine->explain(a->jurisdiction, a->provision, a->as_of));
    if (o.json) {
      json cands = json::array(), edges = json::array();
      for (const auto& c : x.candidates)
        cands.push_back({{"section", c.section_id}, {"heading", c.heading}, {"rules", c.rules}, {"via", c.via}});
      for (const auto& e : x.edges_followed) edges.push_back({{"from", e.from}, {"to", e.to}, {"kind", e.kind}});
      print_json({{"answer", analysis::to_json(x.answer)}, {"candidates", cands}, {"edges_followed", edges},
                  {"candidate_source", x.candidate_source}, {"candidate_note", x.candidate_note}});
      return;
    }
    const auto* p = engine->convention().find(a->provision);
    std::cout << a->jurisdiction << " / " << a->provision << ": " << p->question << "\n";
    print_answer(x.answer, true);
    std::cout << "  why: " << x.answer.explanation << "\n\ncandidates (" << x.candidate_source << "):\n";
    if (!x.candidate_note.empty()) std::cout << "  note: " << x.candidate_note << '\n';
    for (const auto& c : x.candidates) {
      std::cout << "  " << c.section_id << "  " << c.heading << "  [" << c.via << "]\n";
      for (const auto& r : c.rules) std::cout << "      fired: " << r << '\n';
    }
    std::cout << "\ngraph edges followed:" << (x.edges_followed.empty() ? " none" : "") << '\n';
    for (const auto& e : x.edges_followed) std::cout << "  " << e.from << " -[" << e.kind << "]-> " << e.to << '\n';
  });
}

void review_command(CLI::App& app, Options& o) {
  auto* cmd = app.add_subcommand("review", "Confirm or override an answer (wins over the machine; audited)");
  struct Args {
    std::string jurisdiction, provision, status, note, by;
    std::vector<std::string> evidence;
  };
  auto a = std::make_shared<Args>();
  cmd->add_option("jurisdiction", a->jurisdiction, "ISO code")->required();
  cmd->add_option("provision", a->provision, "Provision id")->required();
  cmd->add_option("--status", a->status, "provided, restricted, contrary or silent")->required();
  cmd->add_option("--evidence", a->evidence, "Deciding sections, INSTRUMENT#SECTION (default: the machine's)");
  cmd->add_option("--note", a->note, "Why")->required();
  cmd->add_option("--by", a->by, "Analyst's name")->required();
  cmd->add_flag("--json", o.json, "JSON output");
  cmd->callback([a, &o] {
    const auto status = analysis::answer_status_from(a->status);
    if (!status) throw UserError("--status: expected provided, restricted, contrary or silent, got '" + a->status + "'");
    auto store = open_store(o);
    auto engine = open_engine(*store, o);
    analysis::Review r{*status, a->evidence, a->note, a->by, {}};
    const auto ans = need(engine->review(a->jurisdiction, a->provision, r));
    if (o.json) return print_json(analysis::to_json(ans));
    std::cout << "recorded review of " << a->jurisdiction << " / " << a->provision << '\n';
    print_answer(ans, false);
  });
}

void timeline_command(CLI::App& app, Options& o) {
  auto* cmd = app.add_subcommand("timeline", "Each provision's status over time, and the versions that changed it");
  auto jurisdiction = std::make_shared<std::string>();
  cmd->add_option("jurisdiction", *jurisdiction, "ISO code")->required();
  cmd->add_flag("--json", o.json, "JSON output");
  cmd->callback([jurisdiction, &o] {
    auto store = open_store(o);
    auto engine = open_engine(*store, o);
    const auto entries = need(engine->timeline(*jurisdiction));
    if (o.json) return print_json({{"jurisdiction", *jurisdiction}, {"timeline", analysis::timeline_json(entries)}});
    std::string current;
    for (const auto& e : entries) {
      if (e.provision != current) std::cout << (current.empty() ? "" : "\n") << e.provision << '\n';
      const bool first = e.provision != current;
      current = e.provision;
      std::cout << "  " << e.from << "  " << std::left << std::setw(13) << analysis::shown_status(e);
      for (std::size_t i = 0; i < e.evidence.size() && i < 4; ++i) std::cout << (i ? ", " : "") << e.evidence[i];
      if (!e.not_assessed.empty()) std::cout << e.not_assessed;
      if (first) {
        std::cout << "\n                coverage starts: ";
        for (std::size_t i = 0; i < e.changed_by.size() && i < 3; ++i) std::cout << (i ? "; " : "") << e.changed_by[i];
        if (e.changed_by.size() > 3) std::cout << "; +" << e.changed_by.size() - 3 << " more";
      } else {
        std::cout << (e.coverage_start ? "\n                coverage starts: " : "\n                changed by: ");
        for (std::size_t i = 0; i < e.caused_by.size() && i < 3; ++i)
          std::cout << (i ? "; " : "") << analysis::to_string(e.caused_by[i]);
        if (e.caused_by.size() > 3) std::cout << "; +" << e.caused_by.size() - 3 << " more";
      }
      std::cout << '\n';
    }
  });
}

// One line per missing piece of the evidence base: "FR / possession: Code pénal#222-37: section
// not in the store as of 2002-05-04".
std::vector<std::string> missing_of(const analysis::Evaluation& e, const std::string& jurisdiction) {
  std::vector<std::string> out;
  for (const auto& b : e.evidence_base) {
    if (b.jurisdiction != jurisdiction) continue;
    const std::string where = b.provision + ": ";
    for (const auto& d : b.deciding) {
      if (!d.found) out.push_back(where + d.reference + ": section not in the store as of " + b.as_of);
      else if (d.empty) out.push_back(where + d.reference + ": section in the store (" + d.section_id + ") with no text");
    }
    if (b.quote_found) continue;
    const bool any = std::any_of(b.deciding.begin(), b.deciding.end(), [](const auto& d) { return d.found; });
    out.push_back(where + (b.quote.empty() ? "the label quotes nothing"
                           : any            ? "quote not in the text of any deciding section in the store"
                                            : "quote not checked: no deciding section in the store"));
  }
  return out;
}

std::string share(int n, int of) {
  return std::to_string(n) + "/" + std::to_string(of) + (of ? " " + fixed(100.0 * n / of, 1) + "%" : "");
}

void print_tallies(const char* what, const std::vector<analysis::EvaluationTally>& tallies) {
  std::cout << std::left << std::setw(27) << what << std::setw(8) << "answers" << std::setw(15) << "status"
            << std::setw(15) << "evidence" << std::setw(11) << "precision" << std::setw(15) << "sections found"
            << "quotes found\n";
  for (const auto& t : tallies)
    std::cout << std::setw(27) << t.key << std::setw(8) << t.answers << std::setw(15)
              << share(t.status_agree, t.answers) << std::setw(15) << share(t.evidence_agree, t.evidence_total)
              << std::setw(11) << (t.cited ? fixed(t.precision()) + " (" + std::to_string(t.cited) + ")" : "-")
              << std::setw(15) << std::to_string(t.deciding_found) + "/" + std::to_string(t.deciding_total)
              << t.quotes_found << "/" << t.quotes_total << '\n';
}

void print_evaluation(const analysis::Evaluation& e) {
  std::cout << "status agreement   " << e.status_agree << "/" << e.answers << " = " << fixed(100 * e.status_agreement, 1)
            << "%\nevidence agreement " << e.evidence_agree << "/" << e.evidence_total << " = "
            << fixed(100 * e.evidence_agreement, 1) << "%\nprecision          " << e.all.cited_deciding << "/"
            << e.all.cited << " = " << fixed(100 * e.all.precision(), 1) << "% of the sections cited are deciding"
            << "\nevidence base      deciding sections in the store " << e.all.deciding_found << "/"
            << e.all.deciding_total << ", quotes found " << e.all.quotes_found << "/" << e.all.quotes_total << "\n\n";
  print_tallies("jurisdiction", e.jurisdictions);
  for (const auto& t : e.jurisdictions) {
    const bool absent = std::find(e.not_in_store.begin(), e.not_in_store.end(), t.key) != e.not_in_store.end();
    const auto missing = missing_of(e, t.key);
    if (!absent && missing.empty()) continue;
    std::cout << "\nmissing for " << t.key << (absent ? " (no law of it in the store: every answer silent)" : "")
              << ":\n";
    for (const auto& m : missing) std::cout << "  " << m << '\n';
  }
  std::cout << '\n';
  print_tallies("provision", e.provisions);
  std::cout << "\nconfusion (rows: reference, columns: ours)\n";
  const char* names[] = {"provided", "restricted", "contrary", "silent"};
  std::cout << std::right << std::setw(12) << "";
  for (auto n : names) std::cout << std::setw(12) << n;
  std::cout << '\n';
  for (auto r : names) {
    std::cout << std::left << std::setw(12) << r << std::right;
    for (auto c : names) {
      const auto row = e.confusion.find(r);
      const int n = row == e.confusion.end() || !row->second.count(c) ? 0 : row->second.at(c);
      std::cout << std::setw(12) << n;
    }
    std::cout << std::left << '\n';
  }
  std::cout << "\nconfidence           answers status         evidence\n";
  const auto band = [](const std::string& name, const analysis::ConfidenceBand& b) {
    std::cout << std::setw(21) << name << std::setw(8) << b.answers << std::setw(15) << share(b.status_agree, b.answers)
              << share(b.evidence_agree, b.evidence_total) << '\n';
  };
  for (const auto& b : e.confidence)
    band("[" + fixed(b.from, 1) + ", " + fixed(b.to, 1) + (b.to == 1.0 ? "]" : ")"), b);
  band(">= " + fixed(e.confident.from, 1), e.confident);
  std::cout << "\nbasis (calibration)  answers status         evidence       confidence calibrated\n";
  for (const auto& [basis, b] : e.bases) {
    std::cout << std::setw(21) << basis << std::setw(8) << b.answers << std::setw(15) << share(b.status_agree, b.answers)
              << std::setw(15) << share(b.evidence_agree, b.evidence_total) << std::setw(11) << fixed(b.from)
              << fixed(b.to) << '\n';
  }
  std::cout << "\ndisagreements: " << e.disagreements.size() << '\n';
  for (const auto& d : e.disagreements) {
    std::cout << "  " << d.jurisdiction << " / " << d.provision << ": reference " << analysis::to_string(d.reference)
              << ", ours " << analysis::to_string(d.ours) << (d.status_agrees ? "" : "  [status]")
              << (d.evidence_agrees || d.reference == AnswerStatus::silent ? "" : "  [evidence]") << '\n';
    std::cout << "    reference: " << d.reference_reason << "\n    ours: " << d.our_reason << " (";
    for (std::size_t i = 0; i < d.our_evidence.size(); ++i) std::cout << (i ? ", " : "") << d.our_evidence[i];
    std::cout << ")\n";
  }
}

json tally_json(const analysis::EvaluationTally& t) {
  return {{"key", t.key},
          {"answers", t.answers},
          {"status_agree", t.status_agree},
          {"status_agreement", t.status_agreement()},
          {"evidence_total", t.evidence_total},
          {"evidence_agree", t.evidence_agree},
          {"evidence_agreement", t.evidence_agreement()},
          {"cited", t.cited},
          {"cited_deciding", t.cited_deciding},
          {"precision", t.cited ? json(t.precision()) : json(nullptr)},
          {"deciding_total", t.deciding_total},
          {"deciding_found", t.deciding_found},
          {"quotes_total", t.quotes_total},
          {"quotes_found", t.quotes_found}};
}

json comparison_json(const analysis::Disagreement& d) {
  std::vector<std::string> also;
  for (auto s : d.also) also.emplace_back(analysis::to_string(s));
  return {{"jurisdiction", d.jurisdiction}, {"provision", d.provision},
          {"reference", analysis::to_string(d.reference)}, {"also", also},
          {"ours", analysis::to_string(d.ours)}, {"confidence", d.confidence}, {"basis", d.basis},
          {"status_agrees", d.status_agrees},
          {"evidence_agrees", d.evidence_agrees}, {"reference_deciding", d.reference_deciding},
          {"our_evidence", d.our_evidence}, {"reference_reason", d.reference_reason},
          {"our_reason", d.our_reason}};
}

json band_json(const analysis::ConfidenceBand& b) {
  return {{"from", b.from}, {"to", b.to}, {"answers", b.answers}, {"status_agree", b.status_agree},
          {"status_agreement", b.status_agreement()}, {"evidence_total", b.evidence_total},
          {"evidence_agree", b.evidence_agree}};
}

json evaluation_json(const analysis::Evaluation& e) {
  json dis = json::array(), compared = json::array(), bands = json::array();
  for (const auto& d : e.disagreements) dis.push_back(comparison_json(d));
  for (const auto& d : e.compared) compared.push_back(comparison_json(d));
  for (const auto& b : e.confidence) bands.push_back(band_json(b));
  json bases = json::object();
  for (const auto& [basis, b] : e.bases) bases[basis] = band_json(b);
  json jurisdictions = json::array(), provisions = json::array(), base = json::array();
  for (const auto& t : e.jurisdictions) {
    json j = tally_json(t);
    j["in_store"] = std::find(e.not_in_store.begin(), e.not_in_store.end(), t.key) == e.not_in_store.end();
    j["missing"] = missing_of(e, t.key);
    jurisdictions.push_back(std::move(j));
  }
  for (const auto& t : e.provisions) provisions.push_back(tally_json(t));
  for (const auto& b : e.evidence_base) {
    json deciding = json::array();
    for (const auto& d : b.deciding)
      deciding.push_back({{"reference", d.reference}, {"section", d.section_id}, {"found", d.found},
                          {"empty", d.empty}, {"quote_here", d.quote_here}});
    base.push_back({{"jurisdiction", b.jurisdiction}, {"provision", b.provision}, {"as_of", b.as_of},
                    {"quote", b.quote}, {"quote_found", b.quote_found}, {"deciding", deciding}});
  }
  return {{"answers", e.answers}, {"status_agree", e.status_agree}, {"status_agreement", e.status_agreement},
          {"evidence_total", e.evidence_total}, {"evidence_agree", e.evidence_agree},
          {"evidence_agreement", e.evidence_agreement}, {"all", tally_json(e.all)},
          {"jurisdictions", jurisdictions}, {"provisions", provisions}, {"not_in_store", e.not_in_store},
          {"evidence_base", base}, {"confusion", e.confusion}, {"disagreements", dis},
          {"compared", compared}, {"confidence", bands}, {"confident", band_json(e.confident)}, {"bases", bases}};
}

void evaluate_command(CLI::App& app, Options& o) {
  auto* cmd = app.add_subcommand("evaluate", "Compare the machine's answers with reference labels, and check "
                                             "that the law the labels rest on is in the store");
  auto labels = std::make_shared<std::string>();
  cmd->add_option("--labels", *labels, "Labels file (shared/eval/labels-dev.json)")->required();
  cmd->add_flag("--json", o.json, "JSON output");
  cmd->callback([labels, &o] {
    auto store = open_store(o);
    auto engine = open_engine(*store, o);
    const auto e = need(engine->evaluate(*labels));
    if (!o.json) return print_evaluation(e);
    print_json(evaluation_json(e));
  });
}

}  // namespace

void add_analysis_commands(CLI::App& app, Options& o) {
  analyze_command(app, o);
  explain_command(app, o);
  review_command(app, o);
  timeline_command(app, o);
  evaluate_command(app, o);
}

}  // namespace hrtrack::app
