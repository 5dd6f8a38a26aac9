// Command pulumi-language-python is a small Python language host for `make e2e`.
//
// Why it exists: the Go module proxy this project builds from refuses the module of
// Pulumi's own host (github.com/pulumi/pulumi/sdk/python/cmd/pulumi-language-python/v3:
// "Go module path not permitted"), and no release binary can be downloaded here. This
// host does only what a `pulumi up` of a pip-toolchain Python project needs:
//
//   - Run: starts the release's own pulumi-language-python-exec script (installed beside
//     this binary from the sdk/v3 module of the pinned release) with the project's
//     virtualenv Python, passing the same flags and PULUMI_CONFIG /
//     PULUMI_CONFIG_SECRET_KEYS environment the upstream host passes.
//   - RunPlugin: runs a Python plugin directory (our provider/) with its virtualenv.
//   - InstallDependencies: creates the virtualenv and installs requirements.txt
//     (`pulumi install`).
//   - GetRequiredPackages: reports the Pulumi packages installed in the virtualenv
//     (each distribution's pulumi-plugin.json), so the engine checks their plugins.
//
// Everything else (program generation, packing, debugging, poetry/uv toolchains) is
// left unimplemented and answers Unimplemented. When a user has Pulumi's own host on
// PATH, `make e2e` uses that instead (see tests/e2e/README.md).
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"

	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
	"google.golang.org/protobuf/types/known/emptypb"
)

// The exit code with which pulumi-language-python-exec says it already showed the user
// an actionable message; the engine is then told to bail without adding its own.
const exitAfterUserMessage = 32

// Reported as this host's plugin version.
const hostVersion = "0.0.0-e2e"

type host struct {
	pulumirpc.UnimplementedLanguageRuntimeServer
	execScript    string
	engineAddress string
}

func main() {
	self, err := os.Executable()
	if err != nil {
		fail(err)
	}
	execScript := filepath.Join(filepath.Dir(self), "pulumi-language-python-exec")
	if _, err := os.Stat(execScript); err != nil {
		fail(fmt.Errorf("missing %s beside the host: %w", execScript, err))
	}
	// The engine passes its own address as the last positional argument.
	engineAddress := ""
	if n := len(os.Args); n > 1 {
		engineAddress = os.Args[n-1]
	}
	handle, err := rpcutil.ServeWithOptions(rpcutil.ServeOptions{
		Init: func(srv *grpc.Server) error {
			pulumirpc.RegisterLanguageRuntimeServer(srv, &host{
				execScript:    execScript,
				engineAddress: engineAddress,
			})
			return nil
		},
	})
	if err != nil {
		fail(err)
	}
	fmt.Printf("%d\n", handle.Port)
	if err := <-handle.Done; err != nil {
		fail(err)
	}
}

func fail(err error) {
	fmt.Fprintf(os.Stderr, "pulumi-language-python (e2e host): %v\n", err)
	os.Exit(1)
}

// options are the project's `runtime.options` that this host honours.
type options struct {
	root       string
	virtualenv string
}

func readOptions(info *pulumirpc.ProgramInfo, isPlugin bool) (options, error) {
	opts := options{root: info.GetRootDirectory()}
	raw := info.GetOptions().AsMap()
	if tc, ok := raw["toolchain"]; ok && tc != "pip" {
		return opts, fmt.Errorf("this e2e host supports only the pip toolchain, not %v", tc)
	}
	if venv, ok := raw["virtualenv"].(string); ok {
		opts.virtualenv = venv
	}
	if opts.virtualenv == "" {
		if !isPlugin {
			return opts, errors.New("this e2e host needs runtime.options.virtualenv in Pulumi.yaml")
		}
		opts.virtualenv = "venv" // upstream's default for plugins
	}
	if !filepath.IsAbs(opts.virtualenv) {
		opts.virtualenv = filepath.Join(opts.root, opts.virtualenv)
	}
	return opts, nil
}

// command builds `<virtualenv>/bin/python args...` with the virtualenv activated.
func (o options) command(ctx context.Context, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, filepath.Join(o.virtualenv, "bin", "python"), args...)
	cmd.Env = append(os.Environ(),
		"VIRTUAL_ENV="+o.virtualenv,
		"PATH="+filepath.Join(o.virtualenv, "bin")+string(os.PathListSeparator)+os.Getenv("PATH"),
		"PYTHONUNBUFFERED=1",
	)
	return cmd
}

func (o options) checkVirtualenv() error {
	if _, err := os.Stat(filepath.Join(o.virtualenv, "bin", "python")); err != nil {
		return fmt.Errorf("the virtualenv %s does not exist: run `pulumi install` first", o.virtualenv)
	}
	return nil
}

func (h *host) Handshake(
	_ context.Context, req *pulumirpc.LanguageHandshakeRequest,
) (*pulumirpc.LanguageHandshakeResponse, error) {
	if req.GetEngineAddress() != "" {
		h.engineAddress = req.GetEngineAddress()
	}
	return &pulumirpc.LanguageHandshakeResponse{}, nil
}

func (h *host) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: hostVersion}, nil
}

func (h *host) Run(ctx context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	opts, err := readOptions(req.GetInfo(), false)
	if err != nil {
		return nil, err
	}
	if err := opts.checkVirtualenv(); err != nil {
		return nil, err
	}
	args := []string{h.execScript}
	flag := func(name, value string) {
		if value != "" {
			args = append(args, "--"+name, value)
		}
	}
	flag("monitor", req.GetMonitorAddress())
	flag("engine", h.engineAddress)
	flag("project", req.GetProject())
	flag("root_directory", req.GetInfo().GetRootDirectory())
	flag("stack", req.GetStack())
	flag("pwd", req.GetPwd())
	flag("dry_run", strconv.FormatBool(req.GetDryRun()))
	flag("parallel", strconv.Itoa(int(req.GetParallel())))
	flag("organization", req.GetOrganization())
	args = append(args, req.GetInfo().GetEntryPoint())
	args = append(args, req.GetArgs()...)

	cmd := opts.command(ctx, args...)
	// A stack without config sends none; the exec script needs an object ("null" breaks
	// set_all_config), as the upstream host always passes.
	configMap := req.GetConfig()
	if configMap == nil {
		configMap = map[string]string{}
	}
	config, err := json.Marshal(configMap)
	if err != nil {
		return nil, err
	}
	secretKeys := req.GetConfigSecretKeys()
	if secretKeys == nil {
		secretKeys = []string{}
	}
	secretKeysJSON, err := json.Marshal(secretKeys)
	if err != nil {
		return nil, err
	}
	cmd.Env = append(cmd.Env, "PULUMI_CONFIG="+string(config),
		"PULUMI_CONFIG_SECRET_KEYS="+string(secretKeysJSON))
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr

	if err := cmd.Run(); err != nil {
		var exitErr *exec.ExitError
		if errors.As(err, &exitErr) {
			if status, ok := exitErr.Sys().(syscall.WaitStatus); ok &&
				status.ExitStatus() == exitAfterUserMessage {
				return &pulumirpc.RunResponse{Bail: true}, nil
			}
			return &pulumirpc.RunResponse{
				Error: fmt.Sprintf("program exited with non-zero exit code: %d", exitErr.ExitCode()),
			}, nil
		}
		return &pulumirpc.RunResponse{Error: fmt.Sprintf("could not run the program: %v", err)}, nil
	}
	return &pulumirpc.RunResponse{}, nil
}

func (h *host) RunPlugin(
	req *pulumirpc.RunPluginRequest, server pulumirpc.LanguageRuntime_RunPluginServer,
) error {
	opts, err := readOptions(req.GetInfo(), true)
	if err != nil {
		return err
	}
	if err := opts.checkVirtualenv(); err != nil {
		return err
	}
	closer, stdout, stderr, err := rpcutil.MakeRunPluginStreams(server, false)
	if err != nil {
		return err
	}
	defer closer.Close()

	args := append([]string{req.GetInfo().GetProgramDirectory()}, req.GetArgs()...)
	cmd := opts.command(server.Context(), args...)
	cmd.Dir = req.GetPwd()
	cmd.Env = append(cmd.Env, req.GetEnv()...)
	cmd.Stdout, cmd.Stderr = stdout, stderr
	if err := cmd.Run(); err != nil {
		var exitErr *exec.ExitError
		if errors.As(err, &exitErr) {
			return server.Send(&pulumirpc.RunPluginResponse{
				Output: &pulumirpc.RunPluginResponse_Exitcode{Exitcode: int32(exitErr.ExitCode())},
			})
		}
		return err
	}
	return closer.Close()
}

func (h *host) InstallDependencies(
	req *pulumirpc.InstallDependenciesRequest,
	server pulumirpc.LanguageRuntime_InstallDependenciesServer,
) error {
	opts, err := readOptions(req.GetInfo(), req.GetIsPlugin())
	if err != nil {
		return err
	}
	closer, stdout, stderr, err := rpcutil.MakeInstallDependenciesStreams(server, req.GetIsTerminal())
	if err != nil {
		return err
	}
	defer closer.Close()

	ctx := server.Context()
	steps := [][]string{}
	if opts.checkVirtualenv() != nil {
		steps = append(steps, []string{"python3", "-m", "venv", opts.virtualenv})
	}
	pip := filepath.Join(opts.virtualenv, "bin", "pip")
	steps = append(steps, []string{pip, "install", "--quiet", "--upgrade", "pip"})
	requirements := filepath.Join(req.GetInfo().GetProgramDirectory(), "requirements.txt")
	if _, err := os.Stat(requirements); err == nil {
		steps = append(steps, []string{pip, "install", "-r", requirements})
	}
	for _, step := range steps {
		fmt.Fprintf(stdout, "$ %s\n", joinArgs(step))
		cmd := exec.CommandContext(ctx, step[0], step[1:]...)
		cmd.Dir = req.GetInfo().GetProgramDirectory()
		cmd.Stdout, cmd.Stderr = stdout, stderr
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("%s: %w", joinArgs(step), err)
		}
	}
	return closer.Close()
}

func joinArgs(args []string) string {
	out := ""
	for i, a := range args {
		if i > 0 {
			out += " "
		}
		out += a
	}
	return out
}

// listPulumiPackages prints, as JSON, each installed distribution's pulumi-plugin.json.
const listPulumiPackages = `
import importlib.metadata, json
found = []
for dist in importlib.metadata.distributions():
    for f in dist.files or ():
        if f.name == "pulumi-plugin.json":
            found.append(json.loads(f.read_text()))
print(json.dumps(found))
`

type pluginJSON struct {
	Resource bool   `json:"resource"`
	Name     string `json:"name"`
	Version  string `json:"version"`
	Server   string `json:"server"`
}

func (h *host) GetRequiredPackages(
	ctx context.Context, req *pulumirpc.GetRequiredPackagesRequest,
) (*pulumirpc.GetRequiredPackagesResponse, error) {
	opts, err := readOptions(req.GetInfo(), false)
	if err != nil {
		return nil, err
	}
	if err := opts.checkVirtualenv(); err != nil {
		return nil, err
	}
	cmd := opts.command(ctx, "-c", listPulumiPackages)
	cmd.Stderr = io.Discard
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("listing the virtualenv's Pulumi packages: %w", err)
	}
	var plugins []pluginJSON
	if err := json.Unmarshal(out, &plugins); err != nil {
		return nil, err
	}
	resp := &pulumirpc.GetRequiredPackagesResponse{}
	for _, p := range plugins {
		if !p.Resource || p.Name == "" {
			continue
		}
		version := p.Version
		if version != "" && version[0] != 'v' {
			version = "v" + version
		}
		resp.Packages = append(resp.Packages, &pulumirpc.PackageDependency{
			Kind: "resource", Name: p.Name, Version: version, Server: p.Server,
		})
	}
	return resp, nil
}
