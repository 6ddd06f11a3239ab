# Checks the Elixir examples of the book in one VM (content_test.go runs it).
#
# Usage: elixir check_examples.exs LIST
#
# LIST has one line per block: "FILE\tWHERE\tCLASSIFY", where FILE holds the
# block's code, WHERE is "content/chapter.md:LINE" and CLASSIFY is "1" for a
# plain elixir block (marked neither run nor norun). For every block that
# does not parse it prints "parse\tWHERE: ...". For every plain block that
# uses only the standard library and OTP, so it could run on its own, it
# prints "stdlib\tWHERE". Nothing else goes to stdout.

defmodule Bindery.Examples do
  @moduledoc false

  # Top-level forms that only make sense inside a module: a block that
  # starts one is an excerpt, not a program.
  @fragment_heads [
    :def,
    :defp,
    :defmacro,
    :defmacrop,
    :defguard,
    :defguardp,
    :defdelegate,
    :defstruct,
    :defexception,
    :defoverridable,
    :@,
    :use
  ]

  # Names a local call at the top level of a script can reach without an import.
  @kernel (Kernel.__info__(:functions) ++
             Kernel.__info__(:macros) ++ Kernel.SpecialForms.__info__(:macros))
          |> Enum.map(&elem(&1, 0))
          |> MapSet.new()

  # Protocol implementation targets that are not modules.
  @builtin_types [:Any, :BitString, :PID, :Reference]

  @doc "Reports whether a parsed block uses only modules a bare VM can load."
  def stdlib_only?(ast) do
    forms = top_forms(ast)
    imported = imported_names(forms)

    not Enum.any?(forms, &fragment?(&1, imported)) and not mix_project?(ast) and
      Enum.all?(external_modules(ast), &Code.ensure_loaded?/1)
  end

  defp top_forms({:__block__, _, forms}), do: forms
  defp top_forms(form), do: [form]

  defp imported_names(forms) do
    for {:import, _, [mod | _]} <- forms,
        mod = module_of(mod),
        mod != nil and Code.ensure_loaded?(mod),
        {name, _} <- mod.__info__(:functions) ++ mod.__info__(:macros),
        into: MapSet.new(),
        do: name
  end

  defp module_of({:__aliases__, _, parts}) when is_atom(hd(parts)), do: Module.concat(parts)
  defp module_of(mod) when is_atom(mod), do: mod
  defp module_of(_), do: nil

  defp fragment?({:import, _, [{:__aliases__, _, [:Config]} | _]}, _), do: true
  defp fragment?({name, _, args}, _) when name in @fragment_heads and is_list(args), do: true

  defp fragment?({name, _, args}, imported) when is_atom(name) and is_list(args),
    do: not (MapSet.member?(@kernel, name) or MapSet.member?(imported, name))

  defp fragment?(_, _), do: false

  defp mix_project?(ast) do
    {_, found} =
      Macro.prewalk(ast, false, fn
        {:use, _, [{:__aliases__, _, [:Mix, :Project]} | _]} = node, _ -> {node, true}
        node, found -> {node, found}
      end)

    found
  end

  # external_modules returns the modules a block refers to and does not define:
  # aliases (after the block's own alias declarations) and Erlang modules in
  # remote calls.
  defp external_modules(ast) do
    st = collect(ast, [], %{defined: MapSet.new(), aliases: %{}, refs: []})

    st.refs
    |> Enum.map(&resolve(&1, st))
    |> Enum.reject(&(&1 == :internal))
    |> Enum.uniq()
  end

  defp collect({kind, _, [{:__aliases__, _, [h | _] = parts}, body]}, prefix, st)
       when kind in [:defmodule, :defprotocol] and is_atom(h) do
    full = prefix ++ parts
    st = %{st | defined: MapSet.put(st.defined, Module.concat(full))}
    # A nested module is aliased by its first segment inside its parent.
    st = if prefix == [], do: st, else: put_alias(st, h, prefix ++ [h])
    collect(body, full, st)
  end

  defp collect({:alias, _, [target | opts]}, prefix, st) do
    case target do
      {:__aliases__, _, [{:__MODULE__, _, _}, _ | _] = parts} ->
        put_alias(st, as(opts, List.last(parts)), prefix ++ tl(parts))

      {:__aliases__, _, [h | _] = parts} when is_atom(h) ->
        full = expand(parts, st)
        st |> put_alias(as(opts, List.last(parts)), full) |> add_ref(full)

      {{:., _, [{:__aliases__, _, [h | _] = base}, :{}]}, _, subs} when is_atom(h) ->
        base = expand(base, st)

        Enum.reduce(subs, st, fn
          {:__aliases__, _, [s | _] = p}, st when is_atom(s) ->
            st |> put_alias(List.last(p), base ++ p) |> add_ref(base ++ p)

          _, st ->
            st
        end)

      _ ->
        collect(target, prefix, st)
    end
  end

  defp collect({:__aliases__, _, [h | _] = parts}, _prefix, st) when is_atom(h),
    do: add_ref(st, parts)

  defp collect({:., _, [mod, fun]}, _prefix, st) when is_atom(mod) and is_atom(fun),
    do: %{st | refs: [{:erlang, mod} | st.refs]}

  defp collect({call, _meta, args}, prefix, st) do
    st = collect(call, prefix, st)
    if is_list(args), do: collect(args, prefix, st), else: st
  end

  defp collect({a, b}, prefix, st), do: collect(b, prefix, collect(a, prefix, st))
  defp collect(list, prefix, st) when is_list(list), do: Enum.reduce(list, st, &collect(&1, prefix, &2))
  defp collect(_, _, st), do: st

  defp as([opts | _], default) when is_list(opts) do
    case Keyword.get(opts, :as) do
      {:__aliases__, _, [a]} -> a
      _ -> default
    end
  end

  defp as(_, default), do: default

  defp put_alias(st, short, full), do: %{st | aliases: Map.put(st.aliases, short, full)}
  defp add_ref(st, parts), do: %{st | refs: [{:alias, parts} | st.refs]}

  defp expand([h | t], st) do
    case Map.fetch(st.aliases, h) do
      {:ok, full} -> full ++ t
      :error -> [h | t]
    end
  end

  defp resolve({:erlang, mod}, _st), do: mod

  defp resolve({:alias, parts}, st) do
    mod = Module.concat(expand(parts, st))

    cond do
      MapSet.member?(st.defined, mod) -> :internal
      MapSet.member?(st.defined, Module.concat(parts)) -> :internal
      match?([t] when t in @builtin_types, parts) -> :internal
      true -> mod
    end
  end
end

for line <- File.stream!(hd(System.argv())), line = String.trim(line), line != "" do
  [file, where, classify] = String.split(line, "\t")

  case Code.string_to_quoted(File.read!(file)) do
    {:ok, ast} ->
      if classify == "1" and Bindery.Examples.stdlib_only?(ast) do
        IO.puts("stdlib\t#{where}")
      end

    {:error, {meta, msg, tok}} ->
      IO.puts("parse\t#{where}: elixir block does not parse: #{inspect(meta)} #{inspect(msg)}#{inspect(tok)}")
  end
end
