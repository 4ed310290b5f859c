// analyze, explain, review, timeline, evaluate: the Convention coding as a user sees it.
#include <iomanip>
#include <iostream>
#include <sstream>

#include "cli.hpp"
#include "hrtrack/analysis/analysis.hpp"

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

json answer_json(const Answer& a) {
  json ev = json::array();
  for (const auto& e : a.evidence)
    ev.push_back({{"section", e.section_id}, {"quote", e.quote}, {"rule", e.rule}, {"role", e.role},
                  {"language", e.language}, {"version_date", e.version_date}});
  json j{{"jurisdiction", a.jurisdiction}, {"provision", a.provision},     {"as_of", a.as_of},
         {"status", analysis::to_string(a.status)}, {"score", a.score},    {"confidence", a.confidence},
         {"machine_status", analysis::to_string(a.machine_status)},       {"evidence", ev},
         {"needs_review", a.needs_review}, {"explanation", a.explanation}};
  if (a.review)
    j["review"] = {{"status", analysis::to_string(a.review->status)}, {"evidence", a.review->evidence},
                   {"note", a.review->note}, {"by", a.review->by}, {"at", a.review->at}};
  return j;
}

void print_answer(const Answer& a, bool quotes) {
  std::cout << "  " << std::left << std::setw(27) << a.provision << std::setw(11) << analysis::to_string(a.status)
            << fixed(a.score, 1) << "  conf " << fixed(a.confidence) << (a.review ? "  reviewed by " + a.review->by : "")
            << (a.needs_review ? "  NEEDS REVIEW" : "") << '\n';
  for (const auto& e : a.evidence) {
    std::cout << "      " << e.section_id << "  [" << e.rule << "]";
    if (quotes) std::cout << "\n        \"" << e.quote << '"';
    std::cout << '\n';
  }
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
    for (const auto& s : scores) {
      const auto answers = need(engine->analyze(s.jurisdiction, a->as_of));
      // The latest law's timeline is stored too: the web reads it rather than coding every date.
      if (a->as_of.empty()) need(engine->timeline(s.jurisdiction));
      if (o.json) {
        json list = json::array();
        for (const auto& ans : answers) list.push_back(answer_json(ans));
        out.push_back({{"jurisdiction", s.jurisdiction}, {"score", s.score}, {"coverage", s.coverage},
                       {"rank", s.rank}, {"rank_min", s.rank_min}, {"rank_max", s.rank_max}, {"answers", list}});
        continue;
      }
      std::cout << s.jurisdiction << "  score " << fixed(s.score) << "  coverage " << fixed(s.coverage)
                << "  rank " << s.rank << " (" << s.rank_min << "-" << s.rank_max << ")\n";
      for (const auto& ans : answers) print_answer(ans, a->quotes);
    }
    if (o.json) print_json({{"as_of", a->as_of}, {"jurisdictions", out}});
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
      print_json({{"answer", answer_json(x.answer)}, {"candidates", cands}, {"edges_followed", edges},
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
    if (o.json) return print_json(answer_json(ans));
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
    if (o.json) {
      json out = json::array();
      for (const auto& e : entries)
        out.push_back({{"provision", e.provision}, {"from", e.from}, {"status", analysis::to_string(e.status)},
                       {"changed_by", e.changed_by}, {"evidence", e.evidence}});
      return print_json({{"jurisdiction", *jurisdiction}, {"timeline", out}});
    }
    std::string current;
    for (const auto& e : entries) {
      if (e.provision != current) std::cout << (current.empty() ? "" : "\n") << e.provision << '\n';
      current = e.provision;
      std::cout << "  " << e.from << "  " << std::left << std::setw(11) << analysis::to_string(e.status);
      for (std::size_t i = 0; i < e.evidence.size() && i < 4; ++i) std::cout << (i ? ", " : "") << e.evidence[i];
      std::cout << "\n              changed by: ";
      for (std::size_t i = 0; i < e.changed_by.size() && i < 3; ++i) std::cout << (i ? "; " : "") << e.changed_by[i];
      if (e.changed_by.size() > 3) std::cout << "; +" << e.changed_by.size() - 3 << " more";
      std::cout << '\n';
    }
  });
}

void print_evaluation(const analysis::Evaluation& e) {
  std::cout << "status agreement   " << e.status_agree << "/" << e.answers << " = " << fixed(100 * e.status_agreement, 1)
            << "%\nevidence agreement " << e.evidence_agree << "/" << e.evidence_total << " = "
            << fixed(100 * e.evidence_agreement, 1) << "%\n\nconfusion (rows: reference, columns: ours)\n";
  const char* names[] = {"provided", "restricted", "contrary", "silent"};
  std::cout << std::setw(12) << "";
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

void evaluate_command(CLI::App& app, Options& o) {
  auto* cmd = app.add_subcommand("evaluate", "Compare the machine's answers with reference labels");
  auto labels = std::make_shared<std::string>();
  cmd->add_option("--labels", *labels, "Labels file (shared/eval/labels-dev.json)")->required();
  cmd->add_flag("--json", o.json, "JSON output");
  cmd->callback([labels, &o] {
    auto store = open_store(o);
    auto engine = open_engine(*store, o);
    const auto e = need(engine->evaluate(*labels));
    if (!o.json) return print_evaluation(e);
    json dis = json::array();
    for (const auto& d : e.disagreements) {
      std::vector<std::string> also;
      for (auto s : d.also) also.emplace_back(analysis::to_string(s));
      dis.push_back({{"jurisdiction", d.jurisdiction}, {"provision", d.provision},
                     {"reference", analysis::to_string(d.reference)}, {"also", also},
                     {"ours", analysis::to_string(d.ours)}, {"status_agrees", d.status_agrees},
                     {"evidence_agrees", d.evidence_agrees}, {"reference_deciding", d.reference_deciding},
                     {"our_evidence", d.our_evidence}, {"reference_reason", d.reference_reason},
                     {"our_reason", d.our_reason}});
    }
    print_json({{"answers", e.answers}, {"status_agree", e.status_agree}, {"status_agreement", e.status_agreement},
                {"evidence_total", e.evidence_total}, {"evidence_agree", e.evidence_agree},
                {"evidence_agreement", e.evidence_agreement}, {"confusion", e.confusion}, {"disagreements", dis}});
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
