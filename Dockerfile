# Multi-stage build of the API for people with Docker (no Docker engine runs on the project's own machines;
# .ci/run validates docker-compose.yml with `docker-compose config -q`).
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig DepinMarket.sln ./
COPY src/DepinMarket.Domain/DepinMarket.Domain.csproj src/DepinMarket.Domain/
COPY src/DepinMarket.Chain/DepinMarket.Chain.csproj src/DepinMarket.Chain/
COPY src/DepinMarket.Api/DepinMarket.Api.csproj src/DepinMarket.Api/
RUN dotnet restore src/DepinMarket.Api/DepinMarket.Api.csproj
COPY src/ src/
RUN dotnet publish src/DepinMarket.Api/DepinMarket.Api.csproj -c Release -o /app --no-restore

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
COPY --from=build /app ./
USER app
ENV ASPNETCORE_URLS=http://0.0.0.0:8080
EXPOSE 8080
ENTRYPOINT ["dotnet", "DepinMarket.Api.dll"]
