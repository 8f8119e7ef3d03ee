using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("HueyP.Persistence.Tests")]
