// line_editor.h - the console's terminal side: GNU readline in callback mode on top
// of Tcl's event loop (so job output and callbacks show while the user types),
// persistent history, completion of commands, host names and programs, and output
// that does not garble the line being edited.
#pragma once

#include <functional>
#include <string>

struct Tcl_Interp;

namespace pvm::console {

/// LineEditor reads lines from the terminal with readline while Tcl's event loop runs.
class LineEditor {
public:
    /// onLine gets every line typed (without the newline); it returns false to stop reading.
    LineEditor(Tcl_Interp* interp, std::function<bool(const std::string&)> onLine);
    ~LineEditor();
    LineEditor(const LineEditor&) = delete;
    LineEditor& operator=(const LineEditor&) = delete;

    /// run reads until onLine says stop or input ends (Ctrl-D).
    void run();
    /// setPrompt changes the prompt (a Tcl command that continues on the next line gets "> ").
    void setPrompt(const std::string& prompt);
    /// print shows text (and a newline) above the line being edited.
    static void print(const std::string& text);

private:
    std::string historyFile_;
};

/// registerTerminalCommands creates ::console::print, ::console::interactive and
/// ::console::waitkey (a key press or "" after a time; for top).
void registerTerminalCommands(Tcl_Interp* interp, bool interactive);

}  // namespace pvm::console
