// vpcsim-gui: the desktop tool. `vpcsim-gui [SCENARIO]` opens the window;
// `vpcsim-gui --screenshot OUT.png [SCENARIO] [--view topology|charts|compare] [--step-to-drop]`
// renders the window after running the scenario (the default lesson without one) to its end,
// or only up to the first dropped packet, offscreen, and exits.
#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QImage>
#include <QPixmap>
#include <QStandardPaths>
#include <QTimer>

#include <cstdio>

#include "gui/compare_panel.h"
#include "gui/flow_table_model.h"
#include "gui/main_window.h"

namespace {

constexpr int kExitBadInput = 2;
constexpr int kScreenshotWidth = 1400;
constexpr int kScreenshotHeight = 900;
const char* const kDefaultLesson = ":/scenarios/lessons/01-ssh-inbound-only.textproto";

bool wantsScreenshot(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    if (QByteArray(argv[i]) == "--screenshot" || QByteArray(argv[i]).startsWith("--screenshot=")) return true;
  }
  return false;
}

int fail(const QString& message) {
  std::fprintf(stderr, "error: %s\n", message.toLocal8Bit().constData());
  return kExitBadInput;
}

// Processes events until `done` holds; false after `timeout_ms`.
template <class Pred>
bool waitFor(Pred done, int timeout_ms) {
  QElapsedTimer t;
  t.start();
  while (!done()) {
    if (t.elapsed() > timeout_ms) return false;
    QApplication::processEvents(QEventLoop::AllEvents, 20);
  }
  return true;
}

// Steps to the first dropped packet, so that the topology shows it red at its hop.
bool stepToDrop(vpcsim::gui::MainWindow& w) {
  if (!waitFor([&] { return w.lastBatch() && w.lastBatch()->scenario == w.scenario(); }, 10'000)) return false;
  w.source()->stepToDrop();
  return waitFor([&] { return w.lastBatch()->packet.has_value(); }, 60'000);
}

// Runs the scenario, selects the first flow that dropped something (so the trace dock shows a
// drop), and saves the window.
int screenshot(vpcsim::gui::MainWindow& w, const QString& out, const QString& scenario, const QString& view,
               bool step_to_drop) {
  w.resize(kScreenshotWidth, kScreenshotHeight);
  w.show();
  if (!w.openScenario(scenario.isEmpty() ? QString::fromLatin1(kDefaultLesson) : scenario)) return fail(w.lastError());
  if (!view.isEmpty()) w.showView(view);
  if (step_to_drop) {
    if (!stepToDrop(w)) return fail(QStringLiteral("stepping to the first drop did not finish within a minute"));
    // Let the packet's animation along its path finish.
    QElapsedTimer animation;
    animation.start();
    waitFor([&] { return animation.elapsed() > 800; }, 2'000);
    const QImage image = w.grab().toImage();
    if (image.isNull() || !image.save(out, "PNG")) return fail(QStringLiteral("%1: could not write the PNG").arg(out));
    return 0;
  }
  if (!w.runToEnd()) return fail(QStringLiteral("the run did not finish within a minute"));
  if (view == QLatin1String("compare")) {
    QEventLoop loop;
    QObject::connect(w.comparePanel(), &vpcsim::gui::ComparePanel::comparisonFinished, &loop, &QEventLoop::quit);
    QTimer::singleShot(60'000, &loop, &QEventLoop::quit);
    if (!w.comparePanel()->finished()) loop.exec();
  }
  const auto* model = w.flowModel();
  int pick = 0;
  for (int r = 0; r < model->rowCount(); ++r) {
    const auto& rec = model->record(r);
    if (rec.request.first_drop || rec.reply.first_drop) {
      pick = r;
      break;
    }
  }
  // The proxy sorts by id, which is the record order here; map through it all the same.
  for (int r = 0; r < w.flowProxy()->rowCount(); ++r) {
    if (w.flowProxy()->mapToSource(w.flowProxy()->index(r, 0)).row() == pick) {
      w.selectFlowRow(r);
      break;
    }
  }
  QApplication::processEvents();
  const QImage image = w.grab().toImage();
  if (image.isNull() || !image.save(out, "PNG")) return fail(QStringLiteral("%1: could not write the PNG").arg(out));
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const bool shot = wantsScreenshot(argc, argv);
  // A screenshot needs no display.
  if (shot && qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
  QApplication app(argc, argv);
  QApplication::setOrganizationName(QStringLiteral("vpcsim"));
  QApplication::setApplicationName(QStringLiteral("vpcsim-gui"));
  QApplication::setApplicationVersion(QStringLiteral(VPCSIM_VERSION));

  QCommandLineParser parser;
  parser.setApplicationDescription(QStringLiteral("vpcsim desktop: watch, plot, explain and edit a scenario"));
  parser.addHelpOption();
  parser.addVersionOption();
  parser.addPositionalArgument(QStringLiteral("scenario"), QStringLiteral("Scenario file (.textproto or .json)"));
  const QCommandLineOption shot_option(QStringLiteral("screenshot"),
                                       QStringLiteral("Run the scenario, save the window as a PNG and exit"),
                                       QStringLiteral("OUT.png"));
  const QCommandLineOption view_option(QStringLiteral("view"), QStringLiteral("topology, charts or compare"),
                                       QStringLiteral("VIEW"));
  const QCommandLineOption drop_option(QStringLiteral("step-to-drop"),
                                       QStringLiteral("With --screenshot: step to the first dropped packet instead of "
                                                      "running to the end"));
  parser.addOption(shot_option);
  parser.addOption(view_option);
  parser.addOption(drop_option);
  if (!parser.parse(QApplication::arguments())) return fail(parser.errorText());
  if (parser.isSet(QStringLiteral("help"))) parser.showHelp(0);
  if (parser.isSet(QStringLiteral("version"))) parser.showVersion();
  const QStringList positional = parser.positionalArguments();
  if (positional.size() > 1) return fail(QStringLiteral("give at most one scenario"));
  const QString view = parser.value(view_option);
  if (!view.isEmpty() && view != QLatin1String("topology") && view != QLatin1String("charts") &&
      view != QLatin1String("compare")) {
    return fail(QStringLiteral("--view: '%1' is not one of topology, charts, compare").arg(view));
  }
  const QString scenario = positional.isEmpty() ? QString() : positional.front();

  if (parser.isSet(shot_option)) {
    vpcsim::gui::MainWindow w({.persist_settings = false, .interactive = false});
    return screenshot(w, parser.value(shot_option), scenario, view, parser.isSet(drop_option));
  }
  vpcsim::gui::MainWindow w({});
  w.show();
  if (!scenario.isEmpty() && !w.openScenario(scenario)) return fail(w.lastError());
  if (!view.isEmpty()) w.showView(view);
  return QApplication::exec();
}
